"""The well-known ids and keys of the state a new or reset sandbox starts from. The rows
themselves are each resource's seed (`Resource.seed`), written by `_resources.seed`."""

from __future__ import annotations

# Public demo credentials: they open nothing but a sandbox.
DEMO_API_KEY = "sandbox-demo-api-key"
DEMO_ADDON_TOKEN = "sandbox-demo-addon-token"
OTHER_API_KEY = "sandbox-other-api-key"

DEMO_USER_ID = "64b7c0de5eed000000000a01"
OTHER_USER_ID = "64b7c0de5eed000000000a02"

DEMO_WORKSPACE_ID = "64b7c0de5eed000000000b01"
SECOND_WORKSPACE_ID = "64b7c0de5eed000000000b02"
FORCED_PROJECT_WORKSPACE_ID = "64b7c0de5eed000000000b03"
FOREIGN_WORKSPACE_ID = "64b7c0de5eed000000000b04"

DEMO_CLIENT_ID = "64b7c0de5eed000000000c01"

SAMPLE_PROJECT_ID = "64b7c0de5eed000000000d01"
CLIENT_PROJECT_ID = "64b7c0de5eed000000000d02"
ARCHIVED_PROJECT_ID = "64b7c0de5eed000000000d03"
SECOND_WORKSPACE_PROJECT_ID = "64b7c0de5eed000000000d04"
FORCED_WORKSPACE_PROJECT_ID = "64b7c0de5eed000000000d05"
FOREIGN_PROJECT_ID = "64b7c0de5eed000000000d06"

SAMPLE_TIME_ENTRY_ID = "64b7c0de5eed000000000e01"

MEETING_TAG_ID = "64b7c0de5eed0000000f0001"
URGENT_TAG_ID = "64b7c0de5eed0000000f0002"
ARCHIVED_TAG_ID = "64b7c0de5eed0000000f0003"
FOREIGN_TAG_ID = "64b7c0de5eed0000000f0004"

DESIGN_TASK_ID = "64b7c0de5eed000000001101"  # on the sample project
BUILD_TASK_ID = "64b7c0de5eed000000001102"  # on the client's project
REVIEW_TASK_ID = "64b7c0de5eed000000001103"  # on the sample project, done
WEBSITE_DESIGN_TASK_ID = "64b7c0de5eed000000001104"  # "Design" again, on the client's project

# The catalog: more clients, and colleagues in the demo workspace (one only invited).
GLOBEX_CLIENT_ID = "64b7c0de5eed000000000c02"
ARCHIVED_CLIENT_ID = "64b7c0de5eed000000000c03"
COLLEAGUE_USER_ID = "64b7c0de5eed000000000a03"
INVITED_USER_ID = "64b7c0de5eed000000000a04"
COLLEAGUE_API_KEY = "sandbox-sam-api-key"
INVITED_API_KEY = "sandbox-invited-api-key"

# Time off in the demo workspace: a DAYS policy needing approval, an HOURS one approved on
# submission, an archived one, and the colleague's pending request on the first.
VACATION_POLICY_ID = "64b7c0de5eed000000001201"
SICK_LEAVE_POLICY_ID = "64b7c0de5eed000000001202"
ARCHIVED_POLICY_ID = "64b7c0de5eed000000001203"
PENDING_TIME_OFF_REQUEST_ID = "64b7c0de5eed000000001301"
OWN_PENDING_TIME_OFF_REQUEST_ID = "64b7c0de5eed000000001302"  # the demo user's own
