export default async function globalTeardown(): Promise<void> {
  const steps = (globalThis as { __nexaTeardown?: (() => Promise<void>)[] }).__nexaTeardown ?? [];
  for (const step of steps.reverse()) await step();
}
