export { seedDemo } from "./seed.js";
