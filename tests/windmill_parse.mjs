// Windmill's own Python parser (the one its editor and CLI use to read a script's
// arguments), run on each file named: prints {file: parsed} as JSON.
import { readFileSync } from "node:fs";
import { initSync, parse_python } from "windmill-parser-wasm-py";
const here = new URL("./node_modules/windmill-parser-wasm-py/windmill_parser_wasm_bg.wasm", import.meta.url);
initSync({ module: readFileSync(here) });
const out = {};
for (const file of process.argv.slice(2)) out[file] = JSON.parse(parse_python(readFileSync(file, "utf8")));
process.stdout.write(JSON.stringify(out));
