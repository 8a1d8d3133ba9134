// Uses kinde.env without declaring it in bindings: no kinde object exists.
export const workflowSettings = {
  id: "undeclared",
  trigger: "user:post_authentication",
  bindings: { console: {} },
};

export default async function () {
  console.log("about to read env");
  return kinde.env.get("API_URL").value;
}
