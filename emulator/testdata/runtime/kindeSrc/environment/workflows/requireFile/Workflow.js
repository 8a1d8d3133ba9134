// require() exists without being declared; built-in modules load, files do
// not. esbuild resolves literal require() calls at bundle time (and fails
// on Node built-ins), so the specifiers reach the runtime through a helper.
export const workflowSettings = {
  id: "requireFile",
  trigger: "user:post_authentication",
  bindings: { console: {} },
};

const load = (specifier) => require(specifier);

export default async function (event) {
  console.log(typeof load("url").URLSearchParams, load("util").format("%s-%d", "x", 1));
  return load("./" + event.file);
}
