package main

import (
	"github.com/spf13/cobra"
)

func newCalibrateCmd() *cobra.Command {
	return &cobra.Command{Use: "calibrate", Short: "Choose label thresholds by cross-validation on your labels", Hidden: true}
}
