export const workflowSettings = { id: "same", trigger: "user:trigger_a", bindings: {} };
export default async function () { return "a"; }
