"""`unstuck lsp` end to end: pytest-lsp drives the real server process (embedded model, Docker sandbox)
with Neovim's and VS Code's client capabilities."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.conftest import ROOT, make_repo

DATA_DIR = tempfile.mkdtemp(prefix="unstuck-lsp-data-")
SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "unstuck.cli", "lsp"],
                            server_env={**os.environ, "UNSTUCK_DATA_DIR": DATA_DIR})

SHOP = {
    "shop.py": 'def tax(prices):\n    """Tax on a basket: 20% of its total."""\n    return prices * 0.2\n\n\n'
               'def total(prices):\n    return sum(prices) + tax(prices)\n',
    "test_shop.py": "from shop import total\n\n\ndef test_total():\n    assert total([10, 20]) == 36.0\n",
}


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A TypeError raised inside the code under test, called from a test's assertion."""
    return make_repo(tmp_path / "shop", SHOP)


@pytest.fixture
def add(tmp_path: Path) -> Path:
    """The bundled `add` task (a - b where a + b is meant): the agent fixes it in one turn."""
    source = ROOT / "unstuck" / "bench" / "tasks" / "small" / "add"
    return make_repo(tmp_path / "add", {p.name: p.read_text() for p in source.iterdir() if p.name != "task.json"})


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    lsp_client.applied_edits: list[types.ApplyWorkspaceEditParams] = []

    @lsp_client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        lsp_client.applied_edits.append(params)
        return types.ApplyWorkspaceEditResult(applied=True)

    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, repo: Path, editor: str, **options) -> None:
    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(editor), root_uri=repo.as_uri(),
        workspace_folders=[types.WorkspaceFolder(repo.as_uri(), repo.name)],
        initialization_options={"sandbox": "docker", **options}))


def open_file(client: LanguageClient, path: Path, version: int = 1) -> None:
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(
        uri=path.as_uri(), language_id="python", version=version, text=path.read_text())))


async def until(condition, timeout: float = 300, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def test_diagnostics_land_on_the_assertion_and_the_code_frame_and_clear_on_save(client: LanguageClient,
                                                                                     shop: Path):
    await start(client, shop, "neovim", checkOnSave=True)
    open_file(client, shop / "test_shop.py")
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        "unstuck.check", [{"uri": (shop / "test_shop.py").as_uri()}]))
    assert result["failing"] == ["test_shop.py::test_total"]
    test_uri, code_uri = (shop / "test_shop.py").as_uri(), (shop / "shop.py").as_uri()
    [in_test] = client.diagnostics[test_uri]
    [in_code] = client.diagnostics[code_uri]
    assert in_test.range.start.line == 4  # `assert total([10, 20]) == 36.0`, 0-based
    assert in_code.range.start.line == 2  # `return prices * 0.2`, where the TypeError is raised
    assert "TypeError" in in_code.message and in_code.source == "unstuck" and in_code.code == "test_shop.py::test_total"

    (shop / "shop.py").write_text(SHOP["shop.py"].replace("return prices * 0.2", "return sum(prices) * 0.2"))
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(code_uri)))
    await until(lambda: not client.diagnostics[test_uri] and not client.diagnostics[code_uri],
                60, "the diagnostics to clear after the fix was saved")


async def test_code_actions_are_listed_and_explain_shows_the_revealed_fact(client: LanguageClient, add: Path):
    await start(client, add, "visual_studio_code")
    await client.workspace_execute_command_async(types.ExecuteCommandParams("unstuck.check", [{}]))
    uri = (add / "test_calc.py").as_uri()
    [diagnostic] = client.diagnostics[uri]
    began = time.monotonic()
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), diagnostic.range, types.CodeActionContext([diagnostic])))
    assert time.monotonic() - began < 1.0  # listing is cheap: no model, no sandbox
    titles = [a.title for a in actions]
    assert titles[0] == "Fix with unstuck: make test_calc.py::test_add pass" and "Explain failure" in titles
    assert "Teach unstuck: add(2, 3) must return 5" in titles and "Teach unstuck…" in titles
    explained = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        "unstuck.explain", [{"test": "test_calc.py::test_add"}]))
    assert "add(2, 3) must return 5 (it returned -1)" in explained
    assert any("add(2, 3) must return 5" in m.message for m in client.messages)


@pytest.mark.slow
async def test_fix_reports_progress_and_sends_a_verified_edit_that_makes_the_test_pass(client: LanguageClient,
                                                                                        add: Path):
    await start(client, add, "visual_studio_code")
    open_file(client, add / "calc.py")
    result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        "unstuck.fix", [{"uri": (add / "calc.py").as_uri(), "test": "test_calc.py::test_add"}]))
    assert result == {"status": "fixed", "verified": True, "applied": True}
    [reports] = client.progress_reports.values()
    kinds = [type(r).__name__ for r in reports]
    assert kinds[0] == "WorkDoneProgressBegin" and kinds[-1] == "WorkDoneProgressEnd"
    assert "WorkDoneProgressReport" in kinds and reports[0].cancellable
    assert any("check" in (r.message or "") for r in reports) and "re-verified" in reports[-1].message
    [edit] = client.applied_edits
    [change] = edit.edit.document_changes
    assert change.text_document.uri == (add / "calc.py").as_uri() and change.text_document.version == 1
    text = apply_text_edits((add / "calc.py").read_text(), change.edits)
    (add / "calc.py").write_text(text)
    assert subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=add,
                          capture_output=True).returncode == 0
    assert any("fixed and re-verified" in m.message for m in client.messages)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["$/cancelRequest", "progress token"])
async def test_a_cancelled_fix_stops_and_the_server_answers_the_next_request(client: LanguageClient, tmp_path: Path,
                                                                             how: str):
    greet = make_repo(tmp_path / "greet", {p.name: p.read_text() for p in (ROOT / "examples" / "greet").iterdir()})
    await start(client, greet, "neovim")
    request_id = "fix-to-cancel"
    command = types.ExecuteCommandParams("unstuck.fix", [{"uri": (greet / "greet.py").as_uri()}])
    fixing = asyncio.ensure_future(client.protocol.send_request_async(types.WORKSPACE_EXECUTE_COMMAND, command,
                                                                      msg_id=request_id))
    await until(lambda: any(type(r).__name__ == "WorkDoneProgressReport" and "step" in (r.message or "")
                            for reports in client.progress_reports.values() for r in reports), 120, "a step")
    began = time.monotonic()
    if how == "$/cancelRequest":
        client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=request_id))
    else:
        [token] = client.progress_reports
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token))
    await until(lambda: any(type(r).__name__ == "WorkDoneProgressEnd" for reports in client.progress_reports.values()
                            for r in reports), 15, "the fix to end")
    assert time.monotonic() - began < 5.0
    [reports] = client.progress_reports.values()
    assert reports[-1].message.startswith("cancelled")
    if how == "progress token":
        assert (await fixing)["status"] == "cancelled"
    else:
        fixing.cancel()
    answered = await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
        "unstuck.check", [{}])), 60)
    assert answered["failing"] == ["test_greet.py::test_greet"]
    assert client.applied_edits == []


async def test_an_error_is_a_message_and_the_server_keeps_answering(client: LanguageClient, tmp_path: Path):
    plain = tmp_path / "not-a-repo"
    plain.mkdir()
    await start(client, plain, "neovim")
    assert await client.workspace_execute_command_async(types.ExecuteCommandParams("unstuck.check", [{}])) is None
    assert client.messages[-1].type == types.MessageType.Error
    assert "not inside a git repository" in client.messages[-1].message
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier((plain / "x.py").as_uri()), types.Range(types.Position(0, 0),
                                                                             types.Position(0, 0)),
        types.CodeActionContext([])))
    assert [a.title for a in actions] == ["Fix with unstuck"]


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    """What an editor does with line edits: applied bottom up."""
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e.range.start.line, reverse=True):
        lines[edit.range.start.line:edit.range.end.line] = edit.new_text.splitlines(keepends=True)
    return "".join(lines)



NVIM_INIT = r"""
-- Neovim headless as a user would set it up (0.7 API: Debian bookworm ships 0.7.2; 0.11's
-- vim.lsp.config/vim.lsp.enable in the README do the same), then report what it received.
local out, repo, file = vim.env.UNSTUCK_NVIM_OUT, vim.env.UNSTUCK_NVIM_REPO, vim.env.UNSTUCK_NVIM_FILE
local client_id = vim.lsp.start_client({
  name = "unstuck",
  cmd = { vim.env.UNSTUCK_PYTHON, "-m", "unstuck.cli", "lsp" },
  root_dir = repo,
  init_options = { sandbox = "docker" },
})
vim.cmd("edit " .. file)
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)
local attached = vim.wait(30000, function() return vim.lsp.get_client_by_id(client_id).initialized end, 100)
local client = vim.lsp.get_client_by_id(client_id)
client.request("workspace/executeCommand", { command = "unstuck.check", arguments = { {} } }, function() end, buf)
local got = vim.wait(120000, function() return #vim.diagnostic.get(buf) > 0 end, 200)
local found = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(found, { lnum = d.lnum, message = d.message, source = d.source })
end
vim.fn.writefile({ vim.fn.json_encode({ attached = attached, got = got, diagnostics = found }) }, out)
vim.cmd("qa!")
"""


@pytest.mark.slow
def test_neovim_headless_attaches_the_server_and_shows_the_diagnostics(shop: Path, tmp_path: Path):
    import json
    import shutil

    nvim = shutil.which("nvim")
    assert nvim, "Neovim is missing: `make test` installs it (make tools)"
    init = tmp_path / "init.lua"
    init.write_text(NVIM_INIT)
    out = tmp_path / "nvim.json"
    env = {**os.environ, "UNSTUCK_NVIM_OUT": str(out), "UNSTUCK_NVIM_REPO": str(shop), "UNSTUCK_PYTHON": sys.executable,
           "UNSTUCK_NVIM_FILE": str(shop / "test_shop.py"), "UNSTUCK_DATA_DIR": DATA_DIR}
    done = subprocess.run([nvim, "--headless", "--clean", "-u", str(init)], env=env, cwd=shop, capture_output=True,
                          text=True, timeout=300)
    assert out.exists(), f"Neovim wrote no report: {done.stdout[-1000:]} {done.stderr[-1000:]}"
    report = json.loads(out.read_text())
    print("Neovim received:", report)
    assert report["attached"] and report["got"], report
    [diagnostic] = report["diagnostics"]
    assert diagnostic["lnum"] == 4 and diagnostic["source"] == "unstuck" and "TypeError" in diagnostic["message"]
