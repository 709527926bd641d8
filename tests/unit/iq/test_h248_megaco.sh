#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Erlang megaco as an oracle (SPEC.md §3.13 validation): every example, as
# encoded by h248_encode() in both layouts, must decode with megaco's text
# decoders; megaco's own pretty and compact encodings of the result must
# decode with h248_decode(). Usage: test_h248_megaco.sh PATH/TO/h248_megaco_dump
set -eu
dump=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
"$dump" write "$dir"
timeout 120 erl -noshell -eval '
Dir = "'"$dir"'",
{ok, Fs} = file:list_dir(Dir),
Ours = lists:sort([F || F <- Fs, lists:prefix("ours_", F)]),
Check = fun(F) ->
    {ok, Bin} = file:read_file(filename:join(Dir, F)),
    Rs = [catch M:decode_message([], dynamic, Bin)
          || M <- [megaco_pretty_text_encoder, megaco_compact_text_encoder]],
    case [Msg || {ok, Msg} <- Rs] of
        [Msg | _] ->
            {ok, P} = megaco_pretty_text_encoder:encode_message([], 3, Msg),
            {ok, C} = megaco_compact_text_encoder:encode_message([], 3, Msg),
            ok = file:write_file(filename:join(Dir, "erl_" ++ F ++ ".pretty"), P),
            ok = file:write_file(filename:join(Dir, "erl_" ++ F ++ ".compact"), C),
            ok;
        [] -> io:format("megaco rejects ~s: ~P~n", [F, Rs, 10]), fail
    end
end,
Res = [Check(F) || F <- Ours],
Ok = length([x || ok <- Res]),
io:format("megaco decoded ~p of ~p of our encodings~n", [Ok, length(Res)]),
halt(case Ok =:= length(Res) andalso Ok > 0 of true -> 0; false -> 1 end).'
"$dump" read "$dir"/erl_*
