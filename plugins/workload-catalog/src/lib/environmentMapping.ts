/*
 * A leaf may write container.environment as a list of {name, value} (the seed's form) or as
 * a mapping; the form edits the mapping, the printed form. A leaf loaded for editing (the
 * Configure tab) is shown with its list turned into the mapping, values unchanged.
 */
type Json = Record<string, any>;

/** The leaf with a list-form container.environment as a mapping; other leaves as they are. */
export function withEnvironmentMapping(leaf: Json): Json {
  const environment = leaf?.container?.environment;
  if (!Array.isArray(environment)) return leaf;
  const mapping: Record<string, unknown> = {};
  for (const item of environment) {
    // Items the schema would refuse stay out of the form; the leaf's own text is unchanged
    // until the user saves, and the backend checks the saved leaf again.
    if (item && typeof item === 'object' && typeof item.name === 'string')
      mapping[item.name] = item.value;
  }
  return { ...leaf, container: { ...leaf.container, environment: mapping } };
}
