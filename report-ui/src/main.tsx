import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { DATA_ELEMENT_ID, parseEmbeddedData } from './data/load.ts';
import './styles.css';

const data = parseEmbeddedData(document.getElementById(DATA_ELEMENT_ID)?.textContent);
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <App data={data} />
    </StrictMode>,
  );
}
