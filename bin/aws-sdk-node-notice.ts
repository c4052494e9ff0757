/**
 * The AWS SDK for JavaScript v3 prints a nine-line warning on Node.js below 22, once per process
 * and once per worker thread (`emitWarningIfUnsupportedVersion` in @aws-sdk/core): its releases
 * after the first week of January 2027 need Node.js 22 (https://a.co/c895JFp). Commands say it in
 * one line instead, once, when they use the SDK. A user who set the SDK's switch sees neither.
 */
const SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const SDK_NODE_MAJOR = 22;

const silencedByUser = process.env[SWITCH] === 'true';
let noted = false;

/** Silences the SDK's own warning in this process, its worker threads and child processes (they inherit the environment). */
export function quietAwsSdkNodeWarning(): void {
  process.env[SWITCH] = 'true';
}

/** Prints the one-line notice, at most once per command, when this Node.js is older than the SDK will need. */
export function noteAwsSdkNodeSupport(nodeVersion = process.version): void {
  const major = Number(/^v(\d+)\./.exec(nodeVersion)?.[1]);
  if (noted || silencedByUser || !(major < SDK_NODE_MAJOR)) return;
  noted = true;
  process.stderr.write(
    `note: AWS SDK releases after early January 2027 need Node.js >= ${SDK_NODE_MAJOR} (https://a.co/c895JFp); this Node.js ${nodeVersion} runs the SDK installed here, upgrade before updating dependencies (${SWITCH}=true hides this)\n`,
  );
}
