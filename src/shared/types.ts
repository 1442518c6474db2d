export type Page<T> = { items: T[]; page: number; pages: number; total: number };
