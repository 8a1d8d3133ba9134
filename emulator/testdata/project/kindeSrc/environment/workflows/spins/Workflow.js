// Busy-loops: the runtime's interrupt stops it at the time limit.
export const workflowSettings = {
  id: "spins",
  trigger: "m2m:token_generation",
  bindings: {},
};

export default async function () {
  for (;;) {}
}
