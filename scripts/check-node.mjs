// Runs before npm start/test: a clear message instead of a syntax error on an old Node.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 17)) {
  console.error(`gongkai needs Node >= 22.17 (this is ${process.version}). Run: source scripts/use-node.sh`);
  process.exit(1);
}
