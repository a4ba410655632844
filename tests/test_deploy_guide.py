"""docs/deploy.md, checked wherever a machine can check it.

The files the guide has an operator write are marked in the markdown with ``<!-- file: PATH -->`` on the line
before their fenced block (``<!-- test: restore drill -->`` marks the drill). They are taken from there and checked
with the real tools: ``nginx -t`` (and a running nginx for what it logs), ``systemd-analyze verify``, gunicorn's
own option parser, ``logrotate -d``, ``sh -n``/``bash -n``, and age/rsync for the backup and the restore drill.
Every command line is read too: the planner's programs by the venv's full path, and every program from a package
an ``apt-get install`` line names before its first use.

The tools come from Debian packages that ``.ci/test`` installs. A missing tool skips its test on a developer's
machine, but fails it under CI (``CI=true``): there a skipped check would be a hole nobody sees.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import time
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "deploy.md"
TEXT = GUIDE.read_text(encoding="utf-8")
BIN = Path(sys.executable).parent  # this test run's venv: its planner and gunicorn stand in for the server's
FENCE = re.compile(r"^( *)```([^\n`]*)\n(.*?)^\1```[ \t]*$", re.M | re.S)


def need(tool: str) -> str:
    found = shutil.which(tool) or next((f"{d}/{tool}" for d in ("/usr/sbin", "/sbin") if os.access(f"{d}/{tool}",
                                                                                                   os.X_OK)), None)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} is not installed: .ci/test must install it (CI=true, so this is not skipped)")
    pytest.skip(f"{tool} is not installed (.ci/test installs it)")


def line_of(offset: int) -> int:
    return TEXT.count("\n", 0, offset) + 1


def dedent(body: str, indent: str) -> str:
    return "".join(line[len(indent):] if line.startswith(indent) else line for line in body.splitlines(True))


def blocks() -> list[tuple[int, str, str, str]]:
    """Every fenced block: (line of its fence, info string, marker comment on the line before or "", body)."""
    found = []
    for m in FENCE.finditer(TEXT):
        before = TEXT[:m.start()].rstrip("\n").rsplit("\n", 1)[-1].strip()
        marker = before if before.startswith("<!--") else ""
        found.append((line_of(m.start()), m.group(2).strip(), marker, dedent(m.group(3), m.group(1))))
    return found


def guide_files() -> dict[str, str]:
    files = {}
    for _line, _info, marker, body in blocks():
        if m := re.fullmatch(r"<!-- file: (\S+) -->", marker):
            assert m.group(1) not in files, f"{m.group(1)} is marked twice"
            files[m.group(1)] = body
    return files


def marked(name: str) -> str:
    [body] = [body for _l, _i, marker, body in blocks() if marker == f"<!-- test: {name} -->"]
    return body


FILES = guide_files()
VENVS = re.findall(r"^\S*python3 -m venv (\S+)$", TEXT, re.M)
VENV = VENVS[0] if len(VENVS) == 1 else None


def test_the_guide_marks_its_files_and_makes_one_venv():
    assert set(FILES) >= {"/etc/nginx/sites-available/planner", "/etc/systemd/system/planner.service",
                          "/etc/systemd/system/planner-plan-week.service", "/etc/systemd/system/planner-plan-week.timer",
                          "/etc/systemd/system/planner-backup.service", "/etc/systemd/system/planner-backup.timer",
                          "/usr/local/sbin/planner-backup", "/etc/logrotate.d/planner"}
    assert VENV == "/srv/planner/venv", VENVS
    assert f"{VENV}/bin/pip install -e" in TEXT


# ---- command lines -------------------------------------------------------------------------------------------

REDIRECTS = {"<", ">", ">>", "<<<", "2>", "&>", ">&", "<&", "<<"}
SEPARATORS = {"&&", "||", "|", ";", "(", ")", "&", "$(", "`"}


def commands(script: str) -> list[list[str]]:
    """The simple commands of a shell script, roughly: each as its words, with ``sudo -u X``, ``env``, variable
    assignments and redirections taken off, so the first word is the program."""
    script = script.replace("\\\n", " ")
    found = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars="();<>|&")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        try:
            tokens = list(lexer)
        except ValueError:  # an unbalanced quote in a here-document-like line: not a command line
            continue
        words: list[str] = []
        skip = False
        for token in tokens + [";"]:
            if skip:
                skip = False
                continue
            if token in REDIRECTS or re.fullmatch(r"\d?[<>]+&?", token):
                skip = True
                continue
            if token in SEPARATORS or (token and set(token) <= set("();|&")):
                found.append(words)
                words = []
                continue
            words.append(token)
    return [program(words) for words in found if program(words)]


def program(words: list[str]) -> list[str]:
    words = list(words)
    while words:
        head = words[0]
        if head == "sudo":
            words.pop(0)
            while words and words[0].startswith("-"):
                option = words.pop(0)
                if option in ("-u", "-g") and words:
                    words.pop(0)
        elif head in ("env", "exec", "time", "then", "do", "else", "!") or re.fullmatch(r"[A-Za-z_]\w*=.*", head):
            words.pop(0)
        elif head.endswith("$") and "=" in head:  # drill=$(mktemp -d): the assignment's name
            words.pop(0)
        else:
            break
    return words


def shell_blocks() -> list[tuple[int, str]]:
    return [(line, body) for line, info, _marker, body in blocks() if info in ("sh", "bash")]


def inline_commands() -> list[tuple[int, str]]:
    """Commands to run quoted in the prose (`sudo ...`), outside the fenced blocks. (`planner init-db` in a
    sentence names the command; it is not a line to paste.)"""
    prose = FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), TEXT)
    return [(line_of(m.start()), m.group(1)) for m in re.finditer(r"`(sudo [^`]+)`", prose)]


VENV_PROGRAMS = {"planner", "gunicorn", "pip", "pip3", "flask"}


def test_planner_is_always_called_by_the_venvs_full_path():
    """sudo resets PATH to its secure_path and the venv is on nobody's PATH: a bare `planner` is not found."""
    bad = []
    units = "\n".join(body for path, body in FILES.items() if path.startswith("/etc/systemd/"))
    exec_lines = [(0, re.sub(r"^Exec\w+=[-@:+!]*", "", line)) for line in units.splitlines()
                  if re.match(r"Exec\w+=", line)]
    for line, script in shell_blocks() + inline_commands() + exec_lines:
        for words in commands(script):
            name = words[0]
            if Path(name).name in VENV_PROGRAMS and not name.startswith(f"{VENV}/bin/"):
                bad.append(f"line {line}: {' '.join(words)}")
            if name.startswith(f"{VENV}/bin/"):
                assert (BIN / Path(name).name).exists(), f"line {line}: the venv has no {Path(name).name}"
    assert not bad, "call the venv's programs by their full path:\n" + "\n".join(bad)


# Which Debian package each program comes from; BASE: on every Debian system (or the guide's own files).
PACKAGES = {"git": "git", "python3": "python3", "/usr/bin/python3": "python3", "nginx": "nginx",
            "sqlite3": "sqlite3", "age": "age", "age-keygen": "age", "rsync": "rsync", "ssh": "openssh-client",
            "ssh-keygen": "openssh-client", "sudo": "sudo", "curl": "curl", "jq": "jq", "adduser": "adduser",
            "certbot": "certbot", "logrotate": "logrotate"}
BASE = {"apt-get", "install", "rm", "ln", "chmod", "chown", "mkdir", "cat", "echo", "ls", "find", "date", "head",
        "grep", "sed", "cd", "export", "set", "umask", "read", "unset", "mktemp", "printf", "true", "sh", "bash",
        "kill", "tee", "systemctl", "journalctl", "/bin/kill", "/usr/local/sbin/planner-backup"}


def test_apt_get_installs_every_package_before_the_guide_uses_it():
    installed: dict[str, int] = {}  # package -> line of the apt-get install that names it
    updated = False
    problems = []
    uses: list[tuple[int, str]] = []
    for line, script in shell_blocks():
        for words in commands(script):
            if words[0] == "apt-get" and "update" in words:
                updated = True
            if words[0] == "apt-get" and "install" in words:
                assert updated, f"line {line}: apt-get install before apt-get update"
                for word in words[words.index("install") + 1:]:
                    if not word.startswith("-"):
                        installed.setdefault(word, line)
            uses.append((line, words[0]))
            if words[0].endswith("python3") and words[1:3] == ["-m", "venv"]:
                uses.append((line, "python3 -m venv"))
    logrotate_line = line_of(TEXT.index("<!-- file: /etc/logrotate.d/"))
    uses.append((logrotate_line, "logrotate"))
    for line, name in uses:
        if name == "python3 -m venv":
            package = "python3-venv"
        elif name in PACKAGES:
            package = PACKAGES[name]
        elif name in BASE or name.startswith(f"{VENV}/bin/"):
            continue
        else:
            problems.append(f"line {line}: which package has {name!r}? (add it to PACKAGES or BASE)")
            continue
        if package not in installed or installed[package] > line:
            problems.append(f"line {line}: {name} needs {package}, which no earlier apt-get install names")
    assert not problems, "\n".join(problems)
    first = re.search(r"^apt-get install -y (.+)$", TEXT, re.M).group(1).split()
    assert {"sudo", "rsync", "logrotate", "nginx", "age"} <= set(first)


def test_every_shell_block_parses():
    bash = need("bash")
    for line, script in shell_blocks():
        result = subprocess.run([bash, "-n"], input=script, capture_output=True, text=True)
        assert result.returncode == 0, f"line {line}: {result.stderr}"
    result = subprocess.run([need("sh"), "-n", "-s"], input=FILES["/usr/local/sbin/planner-backup"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# ---- nginx ---------------------------------------------------------------------------------------------------

NGINX = FILES.get("/etc/nginx/sites-available/planner", "")


def servers(config: str) -> list[str]:
    """The text of each top-level ``server { ... }`` block."""
    found, depth, start = [], 0, None
    for m in re.finditer(r"server\s*\{|\{|\}", config):
        if m.group(0) != "}" and m.group(0) != "{" and depth == 0:
            start = m.start()
        if m.group(0) == "}":
            depth -= 1
            if depth == 0 and start is not None:
                found.append(config[start:m.end()])
                start = None
        else:
            depth += 1
    return found


def directives(block: str, name: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"^\s*{name}\s+([^;]*);", block, re.M)]


def test_nginx_config_follows_the_rules_the_guide_states(web_app):
    config = re.sub(r"#[^\n]*", "", NGINX)
    http80, https = servers(config)
    assert all(re.search(r"\b80\b.*default_server", v) for v in directives(http80, "listen")), \
        "the port-80 server must be the default server"
    assert re.search(r"^rm -f /etc/nginx/sites-enabled/default$", TEXT, re.M), "the guide must remove Debian's site"
    for server in (http80, https):
        assert directives(server, "server_tokens") == ["off"], "server_tokens off in every server"
    assert not directives(config, "http2"), "`http2 on;` is refused by nginx before 1.25.1 (Debian 12 has 1.22)"
    assert all("http2" in v for v in directives(https, "listen"))
    log_format = " ".join(directives(config, "log_format"))
    assert not re.search(r"\$(request\b|request_uri|uri|args|query_string|http_referer|arg_)", log_format)
    # One location sends its errors nowhere, a prefix one (^~: no regex location can take its requests), and the
    # app serves the calendar feed under it.
    silent = [(m.group(1), m.group(2)) for m in re.finditer(r"location\s+(\^~\s+)?(\S+)\s*\{([^}]*)\}", https)
              if directives(m.group(3), "error_log") == ["/dev/null"]]
    assert len(silent) == 1, silent
    modifier, prefix = silent[0]
    [rule] = [r.rule for r in web_app.url_map.iter_rules() if r.endpoint == "schedule.feed"]
    assert modifier and rule.startswith(prefix) and "<token>" in rule, (rule, prefix)
    # nginx passes to where gunicorn listens
    unit = FILES["/etc/systemd/system/planner.service"]
    bind = re.search(r"--bind (\S+)", unit).group(1)
    assert set(directives(https, "proxy_pass")) == {f"http://{bind}"}


def _nginx_tree(tmp_path: Path, nginx: str, listen: dict[str, int] | None = None,
                upstream: int | None = None) -> tuple[Path, Path]:
    """A private nginx: the guide's site with a self-signed certificate, logs, pid and temporary files in
    ``tmp_path``, so the system's nginx and /var/log/nginx are never touched. ``listen``: ports for 80 and 443."""
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run([need("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=planner.example.fi", "-keyout", str(certs / "privkey.pem"),
                    "-out", str(certs / "fullchain.pem")], check=True, capture_output=True)
    logs = tmp_path / "log"
    logs.mkdir()
    site = NGINX.replace("/etc/letsencrypt/live/planner.example.fi/", f"{certs}/")
    site = site.replace("/var/log/nginx/", f"{logs}/")
    assert "/etc/letsencrypt" not in site and "/var/log/nginx" not in site
    if listen:
        site = re.sub(r"^\s*listen \[::\]:.*$", "", site, flags=re.M)  # this machine may have no IPv6
        for port, free in listen.items():
            site = re.sub(rf"listen {port}\b", f"listen 127.0.0.1:{free}", site)
    if upstream:
        site = site.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream}")
    (tmp_path / "planner.conf").write_text(site)
    build = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
    temps = "".join(f"    {name.replace('-', '_')}_temp_path {tmp_path / name};\n"
                    for name in re.findall(r"--http-([\w-]+)-temp-path=", build))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path / 'nginx.pid'};\nerror_log {logs / 'error.log'};\nevents {{}}\n"
                    f"http {{\n{temps}    include {tmp_path / 'planner.conf'};\n}}\n")
    return conf, logs


def test_nginx_accepts_the_site(tmp_path):
    nginx = need("nginx")
    conf, logs = _nginx_tree(tmp_path, nginx)
    result = subprocess.run([nginx, "-t", "-p", f"{tmp_path}/", "-c", str(conf), "-e", str(logs / "error.log")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr


def _bound_sockets(count: int) -> list[socket.socket]:
    """``count`` sockets bound to distinct free loopback ports, not listening: held together, no two can get the
    same port (a CI run once drew nginx's own HTTPS port as the dead upstream, and nginx answered itself 400)."""
    found = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        found.append(s)
    return found


def test_nginx_logs_no_feed_token_and_redirects_every_name(tmp_path):
    """The guide's nginx, running, in front of a gunicorn that is down (a restart): a feed request's 502 leaves
    no trace of its token, while another page's 502 is in the error log with its path, as the guide warns."""
    nginx = need("nginx")
    held = _bound_sockets(3)
    http_port, https_port, dead = (s.getsockname()[1] for s in held)
    for s in held[:2]:
        s.close()  # for nginx to take; the dead upstream's stays bound and unheard, so connecting to it is refused
    conf, logs = _nginx_tree(tmp_path, nginx, {"80": http_port, "443": https_port}, upstream=dead)
    server = subprocess.Popen([nginx, "-p", f"{tmp_path}/", "-c", str(conf), "-e", str(logs / "error.log"),
                               "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        context = ssl.create_default_context(cafile=str(tmp_path / "certs" / "fullchain.pem"))
        context.check_hostname = False

        def get(path: str, secure: bool = True, host: str = "planner.example.fi"):
            deadline = time.monotonic() + 15
            while True:
                try:
                    conn = (HTTPSConnection("127.0.0.1", https_port, context=context, timeout=10) if secure
                            else HTTPConnection("127.0.0.1", http_port, timeout=10))
                    conn.request("GET", path, headers={"Host": host})
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    return response
                except (ConnectionRefusedError, ssl.SSLError, OSError):
                    assert server.poll() is None, server.stderr.read()
                    assert time.monotonic() < deadline, "nginx did not start"
                    time.sleep(0.2)

        token = "SmokeToken_" + "x" * 32
        feed = get(f"/calendar/{token}.ics")
        assert feed.status == 502 and feed.getheader("Server") == "nginx"  # no version
        assert get("/visits/12345").status == 502
        moved = get("/some/path?week=2026-W50", secure=False, host="10.0.0.1")  # any name on port 80
        assert moved.status == 301 and moved.getheader("Server") == "nginx"
        assert moved.getheader("Location") == "https://planner.example.fi/some/path?week=2026-W50"
    finally:
        server.terminate()
        server.communicate(timeout=10)
        held[2].close()
    written = {p.name: p.read_text() for p in logs.iterdir()}
    assert not [name for name, text in written.items() if token in text], "a feed token reached a log"
    assert "/visits/12345" in written["planner.error.log"]  # the warning in the guide is true
    assert "/visits/12345" not in written["planner.access.log"] and "/some/path" not in written["planner.access.log"]
    assert written["planner.access.log"].count(" 502 ") == 2


# ---- systemd -------------------------------------------------------------------------------------------------

UNITS = {Path(p).name: body for p, body in FILES.items() if p.startswith("/etc/systemd/system/")}


def test_systemd_units_verify(tmp_path):
    """``systemd-analyze verify`` with the guide's units, their programs taken from this venv (the server's are
    at the same names under /srv/planner/venv). It exits 0 even for an unknown key, so any message fails."""
    analyze = need("systemd-analyze")
    script = tmp_path / "planner-backup"
    script.write_text(FILES["/usr/local/sbin/planner-backup"])
    script.chmod(0o755)
    units = tmp_path / "units"
    units.mkdir()
    for name, body in UNITS.items():
        body = body.replace(f"{VENV}/bin/", f"{BIN}/").replace("/usr/local/sbin/planner-backup", str(script))
        (units / name).write_text(body)
    result = subprocess.run([analyze, "verify", "--man=no", *sorted(str(p) for p in units.iterdir())],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and not result.stderr.strip() and not result.stdout.strip(), \
        result.stderr + result.stdout


def test_units_only_name_folders_the_guide_makes():
    """systemd refuses to start a unit whose ReadWritePaths= or WorkingDirectory= does not exist."""
    made = set(re.findall(r"--home (\S+)", TEXT))
    for _line, script in shell_blocks():
        made |= {words[-1] for words in commands(script) if words[0] == "install" and "-d" in words}
    for name, body in UNITS.items():
        for paths in re.findall(r"^(?:ReadWritePaths|WorkingDirectory)=(.*)$", body, re.M):
            for path in paths.split():
                assert path.startswith("-") or path in made, f"{name}: {path} is never made by the guide"


def test_gunicorn_takes_the_services_options(tmp_path):
    """The service's gunicorn command line, parsed and the app loaded by the gunicorn this venv has (the deploy
    extra's version): an option gunicorn does not know (--no-control-socket before 25.1) fails here."""
    unit = UNITS["planner.service"].replace("\\\n", " ")
    line = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
    words = shlex.split(line)
    assert words[0] == f"{VENV}/bin/gunicorn" and "--no-control-socket" in words
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("k" * 64)
    env = dict(os.environ, PLANNER_INSTANCE=str(instance), PLANNER_ENV="production")
    result = subprocess.run([sys.executable, "-m", "gunicorn", *words[1:], "--check-config"], capture_output=True,
                            text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr


# ---- logrotate, journald ---------------------------------------------------------------------------------------

def test_logrotate_takes_the_config(tmp_path):
    logrotate = need("logrotate")
    import grp
    import pwd
    logs = tmp_path / "log"
    logs.mkdir(mode=0o750)
    (logs / "planner.log").write_text('{"event": "request"}\n')
    config = FILES["/etc/logrotate.d/planner"].replace("/var/log/planner/", f"{logs}/")
    try:  # the server has a planner user and Debian's adm group; this machine may not
        pwd.getpwnam("planner")
    except KeyError:
        config = config.replace(" planner ", f" {pwd.getpwuid(os.getuid()).pw_name} ")
    try:
        grp.getgrnam("adm")
    except KeyError:
        config = re.sub(r"\badm$", grp.getgrgid(os.getgid()).gr_name, config, flags=re.M)
    path = tmp_path / "planner.logrotate"
    path.write_text(config)
    path.chmod(0o644)
    result = subprocess.run([logrotate, "-d", "-f", "-s", str(tmp_path / "state"), str(path)],
                            capture_output=True, text=True)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "error" not in output.lower(), output
    assert f"rotating log {logs}/planner.log" in output


def test_config_py_is_python_and_turns_proxy_fix_on():
    settings: dict = {}
    exec(compile(FILES["/srv/planner/instance/config.py"], "config.py", "exec"), settings)
    assert settings["PROXY_FIX"] == 1


def test_journald_drop_in_names_known_settings():
    body = FILES["/etc/systemd/journald.conf.d/planner.conf"]
    assert body.splitlines()[0] == "[Journal]"
    keys = {line.split("=", 1)[0] for line in body.splitlines()[1:] if line.strip()}
    assert keys <= {"MaxRetentionSec", "SystemMaxUse", "MaxFileSec", "SystemKeepFree"}, keys


# ---- the backup and the restore drill --------------------------------------------------------------------------

def test_backup_script_and_restore_drill(tmp_path, demo_db_file):
    """The nightly script (the server's paths moved into tmp_path, rsync to a local folder) with a recipient made
    as the guide says (`age-keygen -y`), then the restore drill as written: every file it leaves is private."""
    age, keygen, need_rsync = need("age"), need("age-keygen"), need("rsync")
    del age, need_rsync  # (the script calls them by name)
    admin = tmp_path / "admin"
    admin.mkdir()
    subprocess.run([keygen, "-o", str(admin / "planner-backup.key")], check=True, capture_output=True)
    recipient = subprocess.run([keygen, "-y", str(admin / "planner-backup.key")], check=True, capture_output=True,
                               text=True).stdout
    assert re.fullmatch(r"age1[0-9a-z]+\n", recipient)
    (tmp_path / "backup-recipients.txt").write_text(recipient)
    instance, backups, offsite = tmp_path / "instance", tmp_path / "backups", tmp_path / "offsite"
    for folder in (instance, backups, offsite):
        folder.mkdir()
    shutil.copy(demo_db_file, instance / "planner.sqlite")
    (instance / "secret_key").write_text("k" * 64)
    script = FILES["/usr/local/sbin/planner-backup"]
    for server, here in {"/srv/planner/instance": instance, "/var/backups/planner": backups,
                         "/etc/planner/backup-recipients.txt": tmp_path / "backup-recipients.txt",
                         "planner-backup@backup.example.fi:daily/": f"{offsite}/", f"{VENV}/bin/": f"{BIN}/"}.items():
        assert server in script, server
        script = script.replace(server, str(here))
    (tmp_path / "planner-backup").write_text(script)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANNER_")}
    result = subprocess.run(["sh", str(tmp_path / "planner-backup")], capture_output=True, text=True, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    [copy] = offsite.iterdir()
    for path in [copy, *backups.iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

    # The drill, on "another machine": this folder, with the night's encrypted copy under the guide's name.
    drill = marked("restore drill")
    [encrypted] = re.findall(r"(planner-\S+\.sqlite\.age)", drill)
    shutil.copy(copy, admin / encrypted)
    drill = drill.replace(f"{VENV}/bin/", f"{BIN}/")
    drill = re.sub(r"--week \S+", "--week $(date +%G-W%V)", drill)  # any week: the check is that it runs
    drill += '\nprintf "%s\\n" "$drill" > drill-folder\n'
    result = subprocess.run(["bash", "-e", "-c", drill], capture_output=True, text=True,
                            cwd=admin, env=dict(env, TMPDIR=str(tmp_path)), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Restored" in result.stdout, result.stdout
    folder = Path((admin / "drill-folder").read_text().strip())
    assert folder.parent == tmp_path
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is readable by others ({oct(mode)})"


# ---- the smoke test -------------------------------------------------------------------------------------------

def test_smoke_test_names_the_buttons_as_the_app_shows_them():
    """Section 12 names each button and message in English (Finnish, Swedish): those must be the app's words."""
    from babel.messages.pofile import read_po
    section = TEXT[TEXT.index("## 12."):]
    named = re.findall(r"\*{1,2}([^*]+?)\*{1,2} \(\*([^*]+)\*, \*([^*]+)\*\)", re.sub(r"\s+", " ", section))
    assert len(named) >= 6, named
    catalogs = {}
    for lang in ("fi", "sv"):
        with open(ROOT / "planner" / "translations" / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
            catalogs[lang] = {norm(m.id): norm(m.string) for m in read_po(f) if m.id and isinstance(m.id, str)}
    for english, finnish, swedish in named:
        assert english in catalogs["fi"], f"no such message in the app: {english!r}"
        assert (catalogs["fi"][english], catalogs["sv"][english]) == (finnish, swedish), english


def norm(text: str) -> str:
    return re.sub(r"%\(\w+\)s", "…", text)
