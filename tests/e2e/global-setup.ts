// Placeholder until the first browser test lands: the e2e project builds and serves the app here.
export default async function setup() {}
