// Loads a serialized dynamic provider the way Pulumi's dynamic-provider host does
// (@pulumi/pulumi cmd/dynamic-provider: require-from-string in a plain Node process, nothing
// preloaded; `getProvider` calls `configure` with the stack's config before the first method),
// calls one method and prints its result as JSON.
// stdin: { "code": "<serialized provider>", "config": { "gcp:accessToken": "…" }, "method": "check" | "diff" | "read", "args": [...] }
const requireFromString = require('require-from-string');

let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const { code, config, method, args } = JSON.parse(input);
  try {
    const provider = requireFromString(code).handler();
    if (config && provider.configure) {
      const get = (key) => config[key];
      await provider.configure({ config: { get, require: (key) => get(key) } });
    }
    process.stdout.write(JSON.stringify(await provider[method](...args)));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: String(e && e.message) }));
  }
});
