// How Node runs the API bundle (api/dist/main.mjs): npm start, the built-API test, the benchmarks.
// A file of its own that imports nothing, so scripts can read it before anything is installed.
//
// --enable-source-maps: stack traces in logs point at src/, not at the bundle.
// --max-semi-space-size=64: a young generation of 64 MB semi-spaces (V8's default is 16). A chat
//   server's garbage is mostly per token and short-lived; with 1,000 replies streaming, fewer
//   scavenges promote less of it, and p99 inter-token delay fell from ~550 to ~250–300 ms and the
//   time to open the streams from 59 to 34 s (bench #3; 32 helped less, 128 no more but cost memory).
export const NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=64'];
