"""Runs a command on a pseudo-terminal and answers its prompts as a person would: each answer is
typed only once its prompt has appeared, so nothing depends on how fast the program starts.

usage: pty-answer.py TIMEOUT_S PROMPT ANSWER [PROMPT ANSWER ...] -- COMMAND [ARGS ...]
Prints everything the terminal showed; exits with the command's status (124 on timeout)."""
import os, pty, select, sys, time


def main():
    args = sys.argv[1:]
    timeout = float(args.pop(0))
    sep = args.index('--')
    pairs, command = args[:sep], args[sep + 1:]
    script = [(p.encode(), a.encode()) for p, a in zip(pairs[0::2], pairs[1::2])]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    seen, search_from, deadline = b'', 0, time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, 9)
            sys.stdout.write(seen.decode('utf-8', 'replace'))
            sys.exit(124)
        ready, _, _ = select.select([fd], [], [], min(left, 0.1))
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the command closed the terminal
                chunk = b''
            if not chunk:
                break
            seen += chunk
        # The next prompt, looked for only after the previous one, is answered once.
        while script:
            at = seen.find(script[0][0], search_from)
            if at < 0:
                break
            # A control character (Ctrl-C, Ctrl-D) is typed alone; an answer ends with Enter.
            os.write(fd, script[0][1] if script[0][1] in (b'\x03', b'\x04') else script[0][1] + b'\r')
            search_from = at + len(script[0][0])
            script.pop(0)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode('utf-8', 'replace'))
    sys.exit(os.waitstatus_to_exitcode(status))


main()
