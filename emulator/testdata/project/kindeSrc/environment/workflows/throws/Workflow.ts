export const workflowSettings = {
  id: "throws",
  trigger: "user:new_password_provided",
  bindings: { console: {} },
};

function checkLegacy(): never {
  throw new Error("legacy provider exploded");
}

export default async function (_event: unknown) {
  console.log("about to throw");
  checkLegacy();
}
