// Declares kinde.env but not console: console does not exist in the VM.
export const workflowSettings = {
  id: "consoleMissing",
  trigger: "user:pre_mfa",
  bindings: { "kinde.env": {} },
};

export default async function () {
  const value = kinde.env.get("A").value;
  console.log("never logged", value);
  return value;
}
