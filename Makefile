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
	mkdir -p reports
	$(BIN)/jobrisk score data/examples/postings_utf8_bom.csv --text-column タイトル --text-column 本文 -o reports/postings.scored.csv
	$(BIN)/jobrisk score data/examples/messages_cp932.csv --text-column 本文 --stage-column 契約状態 -o reports/messages.scored.csv
	$(BIN)/python -c "import pandas as pd; pd.set_option('display.width', 200); \
	p = pd.read_csv('reports/postings.scored.csv', encoding='utf-8-sig', dtype=str); \
	m = pd.read_csv('reports/messages.scored.csv', encoding='cp932', dtype=str, keep_default_na=False); \
	print('\nflagged postings:'); print(p.loc[p.risk_flag == '1', ['案件ID', 'タイトル', 'risk_score', 'risk_channels', 'risk_severity']].to_string(index=False)); \
	print('\nmessages that are not ok:'); print(m.loc[m.risk_verdict != 'ok', ['メッセージID', '契約状態', 'risk_score', 'risk_channels', 'risk_verdict']].to_string(index=False))"

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
