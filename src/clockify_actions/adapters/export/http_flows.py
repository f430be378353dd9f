"""Node-RED and n8n: a flow and a workflow whose nodes call a running
`clockify-actions serve --http` (`POST /actions/{name}` with the input as JSON body and
`Authorization: Bearer <token>`; the answer is the action's envelope).

One HTTP request node per action, named by its title: the flow wires each to one debug
node; the bearer token is a credential the user sets on the node (neither file holds it).
"""

from __future__ import annotations

from typing import Any

from clockify_actions.adapters.export._shared import (
    Source,
    action_url,
    stable_id,
    stable_uuid,
    to_json,
)

# Where nodes stand in the editor: a column, this far apart.
ROW_HEIGHT = 60
NODE_RED_FILE = "flows.json"
N8N_FILE = "clockify-actions.workflow.json"
N8N_HTTP_NODE = "n8n-nodes-base.httpRequest"
N8N_HTTP_VERSION = 4.2


def node_red_flow(src: Source) -> list[dict[str, Any]]:
    tab = stable_id("node-red", "tab")
    debug = stable_id("node-red", "debug")
    nodes: list[dict[str, Any]] = [
        {"id": tab, "type": "tab", "label": src.title, "disabled": False, "info": src.description},
    ]
    for row, described in enumerate(src.actions):
        nodes.append(
            {
                "id": stable_id("node-red", described["name"]),
                "type": "http request",
                "z": tab,
                "name": described["title"],
                "method": "POST",
                "ret": "obj",
                "paytoqs": "ignore",
                "url": action_url(src, described["name"]),
                "tls": "",
                "persist": False,
                "proxy": "",
                "insecureHTTPParser": False,
                "authType": "bearer",
                "senderr": False,
                "headers": [],
                "x": 300,
                "y": 40 + row * ROW_HEIGHT,
                "wires": [[debug]],
            }
        )
    nodes.append(
        {
            "id": debug,
            "type": "debug",
            "z": tab,
            "name": "envelope",
            "active": True,
            "tosidebar": True,
            "console": False,
            "tostatus": False,
            "complete": "payload",
            "targetType": "msg",
            "x": 600,
            "y": 40,
            "wires": [],
        }
    )
    return nodes


def n8n_workflow(src: Source) -> dict[str, Any]:
    nodes = [
        {
            "parameters": {
                "method": "POST",
                "url": action_url(src, described["name"]),
                "authentication": "genericCredentialType",
                "genericAuthType": "httpBearerAuth",
                "sendBody": True,
                "specifyBody": "json",
                "jsonBody": "={{ JSON.stringify($json) }}",
                "options": {},
            },
            "id": stable_uuid("n8n", described["name"]),
            "name": described["title"],
            "type": N8N_HTTP_NODE,
            "typeVersion": N8N_HTTP_VERSION,
            "position": [300, row * ROW_HEIGHT * 2],
        }
        for row, described in enumerate(src.actions)
    ]
    return {
        "name": src.title,
        "nodes": nodes,
        "connections": {},
        "active": False,
        "settings": {"executionOrder": "v1"},
    }


def node_red_files(src: Source) -> dict[str, str]:
    return {NODE_RED_FILE: to_json(node_red_flow(src))}


def n8n_files(src: Source) -> dict[str, str]:
    return {N8N_FILE: to_json(n8n_workflow(src))}
