import { headerInfo } from '../data/header.ts';
import type { Results } from '../data/types.ts';

export function Header({ results }: { results: Results }) {
  const info = headerInfo(results);
  return (
    <header className="run-header">
      <h1>{info.title}</h1>
      {info.description ? <p className="description">{info.description}</p> : null}
      <dl className="facts">
        {info.fields.map((field) => (
          <div key={field.label} className="fact">
            <dt>{field.label}</dt>
            <dd>{field.value}</dd>
          </div>
        ))}
      </dl>
    </header>
  );
}
