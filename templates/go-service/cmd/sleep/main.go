// Command sleep waits the given number of seconds. The runtime image
// (distroless/static) has no shell and no coreutils, but the manifest's preStop
// hook runs `sleep <preStopDrainSeconds>` so that the pod leaves the Service's
// endpoints before the process gets SIGTERM. The Dockerfile installs this
// program as /usr/bin/sleep.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sleep SECONDS")
		os.Exit(2)
	}
	seconds, err := strconv.ParseFloat(os.Args[1], 64)
	if err != nil || seconds < 0 {
		fmt.Fprintf(os.Stderr, "sleep: invalid time interval %q\n", os.Args[1])
		os.Exit(2)
	}
	time.Sleep(time.Duration(seconds * float64(time.Second)))
}
