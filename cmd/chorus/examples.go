package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// examples are the Example texts of the commands, by command path, kept in
// one place so that every command's --help shows at least two (a test holds
// every command to it).
var examples = map[string][]string{
	"chorus": {
		"chorus run                                  # the nightly job on the bundled sample archive",
		"chorus run --input ~/archive --out reports  # on your own archive",
	},
	"chorus run": {
		"chorus run --input ~/archive --out reports",
		"chorus run --config /srv/chorus/chorus.toml -q",
		"chorus run --input export.xml --format wxr --period week",
	},
	"chorus report": {
		"chorus report --out reports                  # rebuild reports/ from reports.db",
		"chorus report --config chorus.toml --period week",
	},
	"chorus fetch": {
		"chorus fetch --blog https://example.blogspot.com --into archive/",
		"chorus fetch --blog https://example.blogspot.com --into archive/ --max-posts 200 --delay 2s",
	},
	"chorus score": {
		"printf 'a\\tWhat a shambles.\\n' | chorus score",
		"chorus score --model vader < comments.tsv > scores.tsv",
		"chorus score --jsonl < comments.jsonl",
	},
	"chorus eval": {
		"chorus eval sentiment --gold labels.jsonl",
		"chorus eval topics --gold labels.jsonl",
	},
	"chorus eval sentiment": {
		"chorus eval sentiment --gold labels.jsonl",
		"chorus eval sentiment --gold labels.jsonl --model vader",
	},
	"chorus eval vader-sets": {
		"chorus eval vader-sets ../shared/eval/vader-icwsm2014",
		"chorus eval vader-sets DIR --model vader",
	},
	"chorus eval topics": {
		"chorus eval topics --gold labels.jsonl",
		"chorus eval topics --gold labels.jsonl --taxonomy my-taxonomy.toml",
	},
	"chorus train": {
		"chorus train sentiment --gold labels.jsonl --out model.json",
		"chorus train sentiment --db out.db --out model.json",
		"chorus train topics --gold labels.jsonl --out my-taxonomy.toml",
	},
	"chorus train topics": {
		"chorus train topics --gold labels.jsonl",
		"chorus train topics --gold labels.jsonl --taxonomy my-taxonomy.toml --out tuned.toml",
		"chorus eval topics --gold new-labels.jsonl --taxonomy tuned.toml",
	},
	"chorus train sentiment": {
		"chorus train sentiment --gold labels.jsonl --out model.json",
		"chorus train sentiment --db out.db --coder alice --out model.json",
		"chorus run --sentiment-model model.json",
	},
	"chorus calibrate": {
		"chorus calibrate --gold labels.jsonl --dry-run",
		"chorus calibrate --gold labels.jsonl --config chorus.toml",
	},
	"chorus topics": {
		"chorus topics suggest --input ~/archive",
		"chorus topics suggest --input ~/archive --taxonomy my-taxonomy.toml -n 50",
	},
	"chorus topics suggest": {
		"chorus topics suggest --input ~/archive",
		"chorus topics suggest -n 50",
	},
	"chorus gen": {
		"chorus gen --comments 100000 --seed 1 --out /tmp/arch",
		"chorus gen --comments 10000 --format jsonl --shape short --out /tmp/short",
	},
	"chorus label": {
		"chorus label sample --db reports.db --strategy stratified --n 200 --seed 1",
		"chorus label serve --db reports.db --coder ann --guide GUIDE.md",
	},
	"chorus label sample": {
		"chorus label sample --db reports.db --n 200 --seed 1",
		"chorus label sample --db reports.db --strategy uncertain --n 100",
	},
	"chorus label serve": {
		"chorus label serve --db reports.db --coder ann",
		"chorus label serve --db reports.db --coder bo --guide GUIDE.md --addr 127.0.0.1:8765",
	},
	"chorus label import": {
		"chorus label import --db reports.db --coder cy cy-labels.jsonl",
		"chorus label import --db reports.db --coder ann spreadsheet-export.jsonl",
	},
	"chorus label export": {
		"chorus label export --db reports.db --out gold.jsonl",
		"chorus label export --db reports.db --coder ann --out ann.jsonl",
	},
	"chorus label agree": {
		"chorus label agree --db reports.db",
		"chorus label agree --db reports.db --taxonomy my-taxonomy.toml",
	},
	"chorus version": {
		"chorus version",
		"chorus --version",
	},
}

// setExamples gives every command of root its examples.
func setExamples(c *cobra.Command) {
	if ex, ok := examples[c.CommandPath()]; ok {
		c.Example = "  " + strings.Join(ex, "\n  ")
	}
	for _, sub := range c.Commands() {
		setExamples(sub)
	}
}
