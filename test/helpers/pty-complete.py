"""Types a command line into an interactive shell on a pseudo-terminal, presses TAB, and waits for
what the shell's own completion shows: the way a person meets completion.

usage: pty-complete.py TIMEOUT_S LINE EXPECT [EXPECT ...] -- SHELL [ARGS ...]
The shell's prompt must end in "READY> ". TAB is pressed once, then again every 1.5 s (bash lists
candidates on the second) until every EXPECT has been shown or the time is up. Prints what the
terminal showed after the line was typed, escape sequences removed; exits 0 if every EXPECT was
shown, 1 if not."""
import fcntl, os, pty, re, select, struct, sys, termios, time

ESCAPES = re.compile(rb'\x1b\[[0-9;?>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>78M]|\r|\x07|\x08')


def main():
    args = sys.argv[1:]
    timeout = float(args.pop(0))
    line = args.pop(0).encode()
    sep = args.index('--')
    expect, command = [e.encode() for e in args[:sep]], args[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    # A wide terminal, so that candidates are listed in one piece.
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 250, 0, 0))
    seen, typed_at, tabs, last_tab = b'', None, 0, 0.0
    deadline = time.monotonic() + timeout
    ok = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        shown = ESCAPES.sub(b'', seen)
        if typed_at is None:
            if shown.rstrip().endswith(b'READY>'):
                os.write(fd, line)
                typed_at = len(seen)
            continue
        after = ESCAPES.sub(b'', seen[typed_at:])
        if all(e in after for e in expect):
            ok = True
            break
        now = time.monotonic()
        if tabs < 4 and now - last_tab > 1.5:
            os.write(fd, b'\t')
            tabs, last_tab = tabs + 1, now
    after = ESCAPES.sub(b'', seen[typed_at or 0:])
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except OSError:
        pass
    sys.stdout.write(after.decode('utf-8', 'replace'))
    sys.exit(0 if ok else 1)


main()
