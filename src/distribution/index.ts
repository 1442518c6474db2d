export { articleJsonLd, breadcrumbJsonLd, GATED_SECTION_SELECTOR, homeJsonLd } from "./json-ld.js";
