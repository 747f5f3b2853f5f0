/** The test harness listens here; each test asks it for a web host of its own. */
export const HARNESS_PORT = Number(process.env.WORKBENCH_E2E_HARNESS_PORT ?? 47_611);
