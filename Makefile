# jobrisk: the two commands of the README, plus the maintenance targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint corpus model evaluate bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

## demo: score the sample exports in data/examples/ with the shipped default model
demo: $(STAMP)
	$(BIN)/jobrisk score data/examples/postings_utf8_bom.csv --text-column タイトル --text-column 本文 -o reports/postings.scored.csv
	$(BIN)/jobrisk score data/examples/messages_cp932.csv --text-column 本文 -o reports/messages.scored.csv --jobs 1
	$(BIN)/python -c "import pandas as p; d=p.read_csv('reports/postings.scored.csv', encoding='utf-8-sig'); print(d.loc[d.risk_flag==1, ['案件ID','タイトル','risk_score','risk_channels','risk_severity']].to_string(index=False))"

## test: the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks data/build_corpus.py

## corpus: rebuild data/corpus.csv from data/sources/ (byte for byte)
corpus: $(STAMP)
	$(BIN)/python data/build_corpus.py

## model: retrain the shipped default model from data/corpus.csv
model: $(STAMP)
	$(BIN)/jobrisk train --data data/corpus.csv --output models/default.skops

evaluate: $(STAMP)
	$(BIN)/jobrisk evaluate --data data/corpus.csv --split test --plots reports --json reports/evaluation.json

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_score.py

clean:
	rm -rf $(VENV) reports build dist
