/** The part of Ghost's official JS client the contract tests use; the package ships without types. */
declare module "@tryghost/content-api" {
  export type GhostParams = Record<string, string | number | string[]>;
  export type GhostObject = { id: string; slug: string; [key: string]: unknown };
  export type GhostList = GhostObject[] & {
    meta: {
      pagination: {
        page: number;
        limit: number;
        pages: number;
        total: number;
        next: number | null;
        prev: number | null;
      };
    };
  };
  type Browse = { browse(options?: GhostParams): Promise<GhostList> };
  type Read = { read(data: { id?: string; slug?: string }, options?: GhostParams): Promise<GhostObject> };
  export type GhostContentApi = {
    posts: Browse & Read;
    pages: Browse & Read;
    tags: Browse & Read;
    authors: Browse & Read;
    settings: { browse(): Promise<Record<string, unknown>> };
    tiers: Browse;
    newsletters: Browse;
  };
  export default function GhostContentAPI(options: {
    url: string;
    key: string;
    version: string | boolean;
    ghostPath?: string;
    userAgent?: string | boolean;
  }): GhostContentApi;
}
