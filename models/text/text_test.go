package text

import (
	"reflect"
	"testing"
)

func TestSentences(t *testing.T) {
	sg, err := NewSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	got := sg.Sentences("Mr. Grayling said it would work. It did not!\nWell said Jim")
	want := []string{"Mr. Grayling said it would work.", "It did not!", "Well said Jim"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sentences = %q, want %q", got, want)
	}
}

func TestTokens(t *testing.T) {
	sg, err := NewSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	got := sg.Tokens("CRC's aren't working, are they?")
	want := []string{"CRC", "'s", "are", "n't", "working", ",", "are", "they", "?"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}
