// Drives `clockify-actions mcp` with the TypeScript SDK's client, as most desktop and IDE
// hosts do: it lists the tools (and so checks every structured result against its tool's
// outputSchema from then on), makes the calls of a plan and prints what came back.
//
// node mcp_ts_client.mjs plan.json, where the plan is
//   {"command": "...", "args": [...], "env": {...}, "calls": [{"name": "...", "arguments": {...}}]}
// and the output, one JSON document on stdout:
//   {"tools": [names], "changed": n, "results": [{"result": {...}} or {"thrown": "message"}]}
// A call of enable_toolset is followed by a new tools/list, whose names are in its entry.
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

const plan = JSON.parse(readFileSync(process.argv[2], "utf8"));
const transport = new StdioClientTransport({
  command: plan.command,
  args: plan.args,
  env: { ...process.env, ...plan.env },
  stderr: "inherit",
});
const client = new Client({ name: "clockify-actions-tests", version: "1.0.0" });
let changed = 0;
client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
  changed += 1;
});
await client.connect(transport);
const tools = (await client.listTools()).tools.map((tool) => tool.name);
const results = [];
for (const call of plan.calls) {
  try {
    const result = await client.callTool({ name: call.name, arguments: call.arguments });
    const entry = { result };
    if (call.name === "enable_toolset") {
      entry.tools = (await client.listTools()).tools.map((tool) => tool.name);
    }
    results.push(entry);
  } catch (error) {
    results.push({ thrown: String(error?.message ?? error) });
  }
}
await client.close();
process.stdout.write(JSON.stringify({ tools, changed, results }));
