"""Officials' workspace: roles, work queues, dashboard, history, import and export, login.

It sits above every domain app (workdays ← disclosure ← services ← complaints ← workspace):
it reads their selectors and calls their actions; none of them imports it.
"""
