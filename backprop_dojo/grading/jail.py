"""PID 1 of a learner's namespaces: builds the only file system the learner sees, starts it
unprivileged, and dies with it. Standard library only, run by path inside `unshare` (new
mount, PID, network and IPC namespaces, and a user namespace when the grader is not root):

    python -I -S jail.py CONFIG_JSON COMMAND...

CONFIG_JSON names paths, never shell text: `root` (an empty folder: the new root's mount
point), `ro` (paths bound read-only at the same place), `links` ([path, target] symbolic
links such as /lib -> usr/lib), `hide` (paths covered by an empty read-only tmpfs),
`writable` ([path, MB] private tmpfs mounts the learner owns), `devices` (device nodes
bound in), `owner` (the unprivileged uid and gid the learner runs as; null in a user
namespace, where it keeps uid 0 of that namespace with no capabilities) and `cwd`.

The learner is PID 1's child, never PID 1 itself: it cannot clear PID 1's parent-death
signal (set by `unshare --kill-child`), and when PID 1 dies the kernel kills every process
of the namespace, whatever session or parent-death signal it chose.
"""

import ctypes
import json
import os
import platform
import resource
import signal
import sys

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_SECUREBITS, PR_SET_NO_NEW_PRIVS = 1, 4, 28, 38
NO_ROOT_EVER = 0xEF  # SECBIT_NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT_RAISE, each locked; KEEP_CAPS locked off
PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}[platform.machine()]
SETUP_FAILED = 125  # the exit status when the file system cannot be built

libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def _mount(source, target, fstype, flags, data=None) -> None:
    encoded = [None if s is None else s.encode() for s in (source, target, fstype, data)]
    _check(libc.mount(encoded[0], encoded[1], encoded[2], ctypes.c_ulong(flags), encoded[3]), f"mount {target}")


def _place(root: str, path: str, like: str) -> str:
    """Make `path` exist inside `root` as a folder or an empty file, like `like` is."""
    inside = root + path
    if os.path.isdir(like):
        os.makedirs(inside, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(inside), mode=0o755, exist_ok=True)
        open(inside, "a").close()
    return inside


def _bind(root: str, path: str, flags: int) -> None:
    inside = _place(root, path, path)
    _mount(path, inside, None, MS_BIND | MS_REC)
    kept = os.statvfs(path).f_flag & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)  # locked in a user namespace
    _mount(None, inside, None, MS_REMOUNT | MS_BIND | flags | kept)


def build(config: dict) -> None:
    """Mount the learner's file system under config['root'] and make it the root. Mounts go
    parents first, so a private /tmp never covers a folder bound below it."""
    root = config["root"]
    owner = config["owner"] if config["owner"] is not None else 0
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("none", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
    for path, target in config["links"]:
        os.symlink(target, root + path)
    steps = [(path, "ro", 0) for path in config["ro"]] + [(path, "hide", 0) for path in config["hide"]]
    steps += [(path, "writable", size) for path, size in config["writable"]]
    steps += [(path, "device", 0) for path in config["devices"]]
    for path, kind, size in sorted(steps, key=lambda step: step[0].split("/")):
        if kind == "ro":
            _bind(root, path, MS_RDONLY | MS_NOSUID | MS_NODEV)
        elif kind == "device":
            _bind(root, path, MS_NOSUID | MS_NOEXEC)
        elif kind == "hide":
            _mount("none", _place(root, path, path), "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
        else:
            _mount("none", _place(root, path, "/"), "tmpfs", MS_NOSUID | MS_NODEV,
                   f"size={size}m,mode=0700,uid={owner},gid={owner}")
    _mount("proc", _place(root, "/proc", "/"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.chdir(root)
    _check(libc.syscall(PIVOT_ROOT, b".", b"."), "pivot_root")
    _check(libc.umount2(b".", MNT_DETACH), "umount the old root")
    os.chdir("/")
    _mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def learner(config: dict, command: list[str]) -> None:
    """Become the learner's process: a session of its own, no privilege, then exec."""
    os.setsid()
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    owner = config["owner"]
    if owner is None:  # uid 0 of a user namespace: no capability survives the exec
        _check(libc.prctl(PR_SET_SECUREBITS, NO_ROOT_EVER, 0, 0, 0), "securebits")
    else:
        resource.setrlimit(resource.RLIMIT_NPROC, (64, 64))
        os.setgroups([])
        os.setresgid(owner, owner, owner)
        os.setresuid(owner, owner, owner)
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    os.chdir(config["cwd"])
    os.execv(command[0], command)


def main() -> None:
    config, command = json.loads(sys.argv[1]), sys.argv[2:]
    try:
        build(config)
    except OSError as error:
        print(f"jail: {error}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    started = os.fork()
    if started == 0:
        try:
            learner(config, command)
        except OSError as error:
            print(f"jail: {error}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    while True:  # reap every orphan; leave with the learner's own status
        pid, status = os.waitpid(-1, 0)
        if pid == started:
            code = os.waitstatus_to_exitcode(status)
            os._exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
