// Counts its calls in module state: 1, 2, 3 in one VM; always 1 in fresh VMs.
export const workflowSettings = {
  id: "counter",
  trigger: "user:new_username_provided",
  bindings: {},
};

let calls = 0;

export default async function (event) {
  calls++;
  if (event.fail) throw new Error(`call ${calls} failed`);
  return calls;
}
