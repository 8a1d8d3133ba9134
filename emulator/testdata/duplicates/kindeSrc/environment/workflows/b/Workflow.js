export const workflowSettings = { id: "same", trigger: "user:trigger_b", bindings: {} };
export default async function () { return "b"; }
