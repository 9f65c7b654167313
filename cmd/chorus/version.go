package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"chorus/internal/version"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the chorus version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			cmd.Println(versionLine())
		},
	}
}

// versionLine is what chorus version and chorus --version print.
func versionLine() string {
	return fmt.Sprintf("chorus %s (%s, %s/%s)", version.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
