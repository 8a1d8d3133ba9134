// A default export that is not async: its result must be a Promise.
export const workflowSettings = {
  id: "notPromise",
  trigger: "m2m:token_generation",
  bindings: {},
};

export default function () {
  return { done: true };
}
