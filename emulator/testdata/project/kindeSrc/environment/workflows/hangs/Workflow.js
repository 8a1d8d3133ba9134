// Returns a promise that nothing can ever settle: goja has no timers.
export const workflowSettings = {
  id: "hangs",
  trigger: "user:pre_mfa",
  bindings: { console: {} },
};

export default function () {
  console.log("waiting forever");
  return new Promise(() => {});
}
