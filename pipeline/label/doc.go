// Package label is chorus's labelling workbench: it samples stored
// comments for hand labelling, serves a small local web app in which a
// coder labels them one at a time, imports labels made elsewhere, measures
// the agreement between coders, and exports the gold set that `chorus eval`
// and `chorus train` read.
//
// A few hundred comments of a blog labelled by its researchers are what
// make a model's figures on that blog trustworthy; this package keeps that
// work inside chorus's own store (the labels and label_sample tables), on
// the researcher's machine, with nothing uploaded and nothing loaded from
// the network.
//
// A unit is a stored comment, named by its comments.id, or a free unit: an
// imported line whose text matches no stored comment (kept, counted and
// exported, so that labels made on text chorus has not read yet are not
// lost). Labels are matched to comments by the normalised text that
// duplicate marking compares (corpus.NormalizeText), never by position.
//
// # What it owns, what it must not touch
//
// It owns what the labels and label_sample tables mean (pipeline/store
// holds the SQL), the sampling strategies, the web app (web/, embedded) and
// the gold export format that models/evaluate and the learned model read. It takes a Store
// and gives samples, a Server, agreement figures and gold files. It imports
// corpus, models/evaluate, models/topics and pipeline/store; it must not
// import the pipeline package or reports, write the published report folder,
// or fetch anything from the network; it serves on the address it is given,
// and cmd/chorus warns when that is not a loopback one (IsLoopback).
package label
