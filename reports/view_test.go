package reports

import (
	"context"
	"os"
	"testing"
)

// TestRealisticRender writes the report of the realistic fixture to
// $CHORUS_REPORT_VIEW (for looking at the charts); skipped when unset.
func TestRealisticRender(t *testing.T) {
	dir := os.Getenv("CHORUS_REPORT_VIEW")
	if dir == "" {
		t.Skip("set CHORUS_REPORT_VIEW=DIR to write the realistic fixture's report there")
	}
	for _, p := range []string{PeriodDay, PeriodWeek, PeriodMonth} {
		if err := Write(context.Background(), dir+"/"+p, realisticInput(p)); err != nil {
			t.Fatal(err)
		}
	}
}
