/** What GET /v1/platform answers, as far as the plugin shows it. */
export interface Platform {
  kind: "nvidia" | "apple" | "cpu";
  reason: string;
  recommendedRecipe?: string | null;
}
