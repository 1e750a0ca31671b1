/** With PETA_TIMING=1, a lap timer that logs how long each step of a unit of work took. */
export function phases(scope: string): (name: string) => void {
  if (process.env.PETA_TIMING !== '1') return () => {};
  let t = performance.now();
  return (name) => {
    const now = performance.now();
    console.log(`[${scope}] ${name} ${(now - t).toFixed(0)} ms`);
    t = now;
  };
}
