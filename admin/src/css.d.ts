// esbuild loads .css as text (build.mjs): the console puts uPlot's styles into its shadow root.
declare module '*.css' {
  const text: string;
  export default text;
}
