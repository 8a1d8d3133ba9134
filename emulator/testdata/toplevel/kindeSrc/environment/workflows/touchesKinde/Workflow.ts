declare const kinde: any;

// Top-level code runs during discovery with no bindings at all.
const apiUrl: string = kinde.env.get("API_URL").value;

export const workflowSettings = {
  id: "touchesKinde",
  trigger: "user:tokens_generation",
  bindings: { "kinde.env": {} },
};

export default async function () {
  return apiUrl;
}
