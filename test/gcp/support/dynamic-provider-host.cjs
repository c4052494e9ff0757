// Loads a serialized dynamic provider the way Pulumi's dynamic-provider host does
// (@pulumi/pulumi cmd/dynamic-provider: require-from-string in a plain Node process, nothing
// preloaded), calls one method and prints its result as JSON.
// stdin: { "code": "<serialized provider>", "method": "check" | "diff", "args": [...] }
const requireFromString = require('require-from-string');

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const { code, method, args } = JSON.parse(input);
  try {
    const provider = requireFromString(code).handler();
    process.stdout.write(JSON.stringify(await provider[method](...args)));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e && e.message) }));
  }
});
