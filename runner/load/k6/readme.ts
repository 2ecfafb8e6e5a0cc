/** The README written by `moshpit export k6`: run with k6-operator, feed the outputs back. */
export interface ReadmeInput {
  name: string;
  parallelism: number;
  target: string;
  scenarioName: string;
}

export function exportReadme(r: ReadmeInput): string {
  return `# moshpit scenario "${r.scenarioName}" with k6-operator

This directory runs the scenario's load with k6, split over ${r.parallelism} k6 runner pod(s)
(k6 execution segments), against the music backend deployed at ${r.target}.

| file | what |
| --- | --- |
| \`driver.js\` | moshpit's generic k6 script (one open-model k6 scenario per flow) |
| \`moshpit-plan.json\` | the load plan the script reads: rates, stages, caps, payload sizes, seed, target |
| \`configmap.yaml\` | a ConfigMap \`${r.name}\` holding both files |
| \`testrun.yaml\` | the k6-operator \`TestRun\` (apiVersion k6.io/v1alpha1, parallelism ${r.parallelism}) |
| \`scenario.json\`, \`export.json\` | the validated scenario and export settings, read by \`moshpit collect\` |
| \`outputs/\` | put the pods' logs here (see below) |

## 1. Deploy the backend
Deploy the music backend (api, workers, subscribers, database) in Azure against the messaging
technology under test, and check that \`${r.target}/health\` answers 200 from the cluster.

## 2. Run the load
Install k6-operator in the cluster (https://grafana.com/docs/k6/latest/testing-guides/running-distributed-tests/), then:

\`\`\`sh
kubectl apply -f configmap.yaml
kubectl apply -f testrun.yaml
kubectl get testrun ${r.name} -w        # until the stage is "finished"
\`\`\`

To try the same script on one machine first: \`MOSHPIT_PLAN_FILE=moshpit-plan.json k6 run --log-format raw --console-output outputs/local.log driver.js\`.

## 3. Collect the outputs
Every runner pod logs one JSON line per hop of each operation (\`--log-format raw\`). Save each
pod's log (k6's own log lines are skipped when collecting):

\`\`\`sh
for pod in $(kubectl get pods -l k6_cr=${r.name},runner=true -o name); do
  kubectl logs "$pod" > "outputs/$(basename "$pod").log"
done
kubectl delete -f testrun.yaml
\`\`\`

After the backend has drained, export what the database stored as \`committed\` history records
(the backend's db export), or copy its SQLite file, e.g. to \`db.sqlite\`.

## 4. Results
\`\`\`sh
npx moshpit collect . --tech <the technology under test> --db db.sqlite --out results/
npx moshpit report results/results.json
\`\`\`

\`collect\` turns the pods' outputs into \`results/<tech>/history/loadgen-k6-<pod>.jsonl\` (operations
k6 dropped become \`dropped\` records), adds the database export, runs the same checkers as
\`moshpit run\` and writes \`results/results.json\`. Without \`--db\` every acknowledged operation
counts as lost: only the client-side figures are meaningful then.
`;
}
