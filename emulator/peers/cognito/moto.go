package cognito

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// InstallCommand installs moto where the peer looks for it.
const InstallCommand = "scripts/install-moto"

// ErrMotoMissing is returned (wrapped) when moto_server cannot be found.
var ErrMotoMissing = errors.New("moto_server is not installed")

// motoServerPath finds moto_server: $MOTO_SERVER, else
// <repo>/.venv-moto/bin/moto_server where <repo> holds scripts/install-moto
// above the working directory.
func motoServerPath() (string, error) {
	if path := os.Getenv("MOTO_SERVER"); path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("%w: MOTO_SERVER=%s: %v (unset MOTO_SERVER and run %s)", ErrMotoMissing, path, err, InstallCommand)
		}
		return path, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("finding the repository: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, InstallCommand)); err == nil {
			path := filepath.Join(dir, ".venv-moto", "bin", "moto_server")
			if _, err := os.Stat(path); err != nil {
				return "", fmt.Errorf("%w at %s: run %s (from %s) or set MOTO_SERVER", ErrMotoMissing, path, InstallCommand, dir)
			}
			return path, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%w: no %s above the working directory; set MOTO_SERVER", ErrMotoMissing, InstallCommand)
		}
		dir = parent
	}
}

// motoProcess is a running moto_server.
type motoProcess struct {
	url  string
	cmd  *exec.Cmd
	logs *tailBuffer
	done chan struct{}
}

var listening = regexp.MustCompile(`Running on (http://127\.0\.0\.1:\d+)`)

// startMoto launches moto_server on a free loopback port with an
// unauthenticated budget of budget requests.
func startMoto(path string, budget int) (*motoProcess, error) {
	cmd := exec.Command(path, "-H", "127.0.0.1", "-p", "0")
	cmd.Env = append(os.Environ(), "INITIAL_NO_AUTH_ACTION_COUNT="+strconv.Itoa(budget))
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	p := &motoProcess{cmd: cmd, logs: &tailBuffer{}, done: make(chan struct{})}
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stderr)
		for scanner.Scan() {
			line := scanner.Text()
			p.logs.add(line)
			if m := listening.FindStringSubmatch(line); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { _ = cmd.Wait(); close(p.done) }()
	select {
	case p.url = <-found:
		return p, nil
	case <-p.done:
		return nil, fmt.Errorf("moto_server exited before listening: %s", p.logs.text())
	case <-time.After(60 * time.Second):
		p.stop()
		return nil, fmt.Errorf("moto_server did not listen within 60s: %s", p.logs.text())
	}
}

func (p *motoProcess) stop() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// tailBuffer keeps the last lines moto wrote, for error messages.
type tailBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (b *tailBuffer) add(line string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines = append(b.lines, line)
	if len(b.lines) > 20 {
		b.lines = b.lines[1:]
	}
}

func (b *tailBuffer) text() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}
