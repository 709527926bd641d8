%% SPDX-License-Identifier: BSD-3-Clause
%% An MGC on Erlang/OTP megaco (the full stack: megaco_udp transport,
%% transactions, its own text encoder) driving imsagw over Iq. Used by
%% test_iq_megaco.sh. Requests are written as text, decoded with megaco's
%% encoder into its records and sent with megaco:call/3; replies are encoded
%% back to text with megaco's encoder for the checks.
%%
%%   erl -noshell -pa DIR -s iq_megaco_mgc main LAYOUT MGCPORT UEKEY GOFILE
%% LAYOUT: pretty | compact. Prints "step NAME ok|FAIL ..." lines and
%% halts 0 only when every step passed. Once the call is through-connected
%% it prints "media ACCESS_PORT CORE_PORT GATEWAY_KEY" and waits for GOFILE
%% to exist (the test sends SRTP through the call meanwhile) before it
%% subtracts and prints "subtract" and the reply.
-module(iq_megaco_mgc).
-export([main/1]).
-export([handle_connect/3, handle_disconnect/4, handle_syntax_error/4,
         handle_message_error/4, handle_trans_request/4,
         handle_trans_long_request/4, handle_trans_reply/5,
         handle_trans_ack/5, handle_unexpected_trans/4,
         handle_trans_request_abort/5, handle_segment_reply/6]).

-define(T, 5000).

main([LayoutA, PortA, UeKeyA, GoA]) ->
    Layout = atom_to_list(LayoutA),
    Port = list_to_integer(atom_to_list(PortA)),
    UeKey = atom_to_list(UeKeyA),
    put(go_file, atom_to_list(GoA)),
    Res = (catch run(Layout, Port, UeKey)),
    io:format("result ~p~n", [Res]),
    halt(case Res of ok -> 0; _ -> 1 end).

enc("compact") -> megaco_compact_text_encoder;
enc(_) -> megaco_pretty_text_encoder.

run(Layout, Port, UeKey) ->
    Mid = {ip4Address, {'IP4Address', [127,0,0,1], Port}},
    ok = megaco:start(),
    ok = megaco:start_user(Mid, [{send_mod, megaco_udp},
                                 {encoding_mod, enc(Layout)},
                                 {encoding_config, []},
                                 {protocol_version, 3},
                                 {user_mod, ?MODULE},
                                 {user_args, [self()]}]),
    RH = megaco:user_info(Mid, receive_handle),
    {ok, Sup} = megaco_udp:start_transport(),
    {ok, _SH, _Ctrl} = megaco_udp:open(Sup, [{port, Port},
                                            {receive_handle, RH}]),
    io:format("mgc: megaco ~s MGC on 127.0.0.1:~p, waiting for the gateway~n",
              [Layout, Port]),
    {CH, ScText} = receive {registered, C, T} -> {C, T}
                   after 40000 -> throw(no_service_change) end,
    check("register", ScText, ["ServiceChange", "901", "threegiq/1"]),
    %% e2ae call: the UE's key in Remote, CHOOSE in Local (SPEC.md §3.13 (b)).
    Add = call(CH,
      "Context = $ { Add = $ { Media { Stream = 1 { "
      "LocalControl { Mode = ReceiveOnly, ipdc/realm = \"access\" }, "
      "Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/SAVP 0\n"
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$\n}, "
      "Remote {\nv=0\nc=IN IP4 192.0.2.2\nm=audio 5004 RTP/SAVP 0\n"
      "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" ++ UeKey ++ "\n} } } }, "
      "Add = $ { Media { Stream = 1 { "
      "LocalControl { Mode = ReceiveOnly, ipdc/realm = \"core\" }, "
      "Local {\nv=0\nc=IN IP4 $\nm=audio $ RTP/AVP 0\n} } } } }"),
    check("add_e2ae", Add, ["a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:",
                            "192.0.2.1", "198.51.100.1"]),
    case string:find(Add, UeKey) of
        nomatch -> io:format("step add_e2ae_own_key ok~n");
        _ -> io:format("step add_e2ae_own_key FAIL: UE key echoed~n"), throw(key_reused)
    end,
    {match, [Ctx]} = re:run(Add, "(?:Context|C) *= *([0-9]+)", [{capture, all_but_first, list}]),
    {match, Ids} = re:run(Add, "(?:Add|A) *= *(ip/[a-z]+/[0-9]+)",
                          [global, {capture, all_but_first, list}]),
    [[Acc], [Core]] = Ids,
    Mod = call(CH,
      "Context = " ++ Ctx ++ " { Modify = " ++ Core ++ " { Media { Stream = 1 { "
      "LocalControl { Mode = SendReceive }, "
      "Remote {\nv=0\nc=IN IP4 198.51.100.2\nm=audio 6004 RTP/AVP 0\n} } } }, "
      "Modify = " ++ Acc ++ " { Media { Stream = 1 { LocalControl { Mode = SendReceive } } } } }"),
    check("modify", Mod, [Core, Acc]),
    %% Media: tell the test the gateway's ports and key, wait while it sends.
    {match, [[AccPort], [CorePort]]} =
        re:run(Add, "m=audio ([0-9]+) ", [global, {capture, all_but_first, list}]),
    {match, [GwKey]} = re:run(Add, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:([A-Za-z0-9+/=]+)",
                              [{capture, all_but_first, list}]),
    io:format("media ~s ~s ~s~n", [AccPort, CorePort, GwKey]),
    wait_file(get(go_file), 600),
    Err = call(CH, "Context = 4242424 { Modify = " ++ Acc ++ " { Media { Stream = 1 { LocalControl { Mode = Inactive } } } } }"),
    check("error_411", Err, ["411"]),
    Err2 = call(CH, "Context = " ++ Ctx ++ " { Modify = ip/core/999999 { Media { Stream = 1 { LocalControl { Mode = Inactive } } } } }"),
    check("error_430", Err2, ["430"]),
    Sub = call(CH, "Context = " ++ Ctx ++ " { Subtract = " ++ Acc ++
                   " { Audit { Statistics } }, Subtract = " ++ Core ++
                   " { Audit { Statistics } } }"),
    check("subtract_stats", Sub, ["nt/os", "nt/or", "rtp/ps", "rtp/pr", "rtp/pl",
                                  "srtp/af", "srtp/rpl"]),
    io:format("subtract~n~s~nend subtract~n", [Sub]),
    Gone = call(CH, "Context = " ++ Ctx ++ " { Subtract = " ++ Acc ++ " }"),
    check("context_gone_411", Gone, ["411"]),
    ok.

wait_file(_F, 0) -> throw(no_go_file);
wait_file(F, N) ->
    case filelib:is_file(F) of
        true -> ok;
        false -> timer:sleep(100), wait_file(F, N - 1)
    end.

%% Send one request with megaco:call/3; return the reply as text.
call(CH, Actions) ->
    Text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 { " ++ Actions ++ " }",
    {ok, Msg} = megaco_pretty_text_encoder:decode_message([], dynamic, list_to_binary(Text)),
    {'MegacoMessage', _, {'Message', _, _, {transactions, [{transactionRequest, TR}]}}} = Msg,
    ARs = element(3, TR),
    Result = case megaco:call(CH, ARs, [{request_timer, ?T}]) of
                 {_V, {ok, Replies}} -> {actionReplies, Replies};
                 {_V, {error, ED}} when element(1, ED) == 'ErrorDescriptor' ->
                     {transactionError, ED};
                 {_V, Other} -> throw({call_failed, Other})
             end,
    reply_text(Result).

reply_text(Result) ->
    {ok, T} = megaco_pretty_text_encoder:decode_message([], dynamic,
                <<"MEGACO/3 [127.0.0.1]:2945\nReply = 1 { Context = - { ServiceChange = ROOT } }">>),
    {'MegacoMessage', A, {'Message', V, M, {transactions, [{transactionReply, R}]}}} = T,
    R2 = setelement(4, R, Result),
    {ok, Bin} = megaco_pretty_text_encoder:encode_message([], 3,
                  {'MegacoMessage', A, {'Message', V, M, {transactions, [{transactionReply, R2}]}}}),
    binary_to_list(Bin).

request_text(ARs) ->
    {ok, T} = megaco_pretty_text_encoder:decode_message([], dynamic,
                <<"MEGACO/3 [127.0.0.1]:2945\nTransaction = 1 { Context = - { ServiceChange = ROOT { Services { Method = Restart, Reason = \"901\" } } } }">>),
    {'MegacoMessage', A, {'Message', V, M, {transactions, [{transactionRequest, R}]}}} = T,
    R2 = setelement(3, R, ARs),
    {ok, Bin} = megaco_pretty_text_encoder:encode_message([], 3,
                  {'MegacoMessage', A, {'Message', V, M, {transactions, [{transactionRequest, R2}]}}}),
    binary_to_list(Bin).

check(Name, Text, Needles) ->
    Missing = [N || N <- Needles, string:find(string:lowercase(Text), string:lowercase(N)) == nomatch],
    case Missing of
        [] -> io:format("step ~s ok~n", [Name]);
        _ -> io:format("step ~s FAIL: missing ~p in~n~s~n", [Name, Missing, Text]),
             throw({step_failed, Name})
    end.

%% ---- megaco_user callbacks (extra arg: the test process) ----
handle_connect(_CH, _PV, _Pid) -> ok.
handle_disconnect(_CH, _PV, _R, _Pid) -> ok.
handle_syntax_error(_RH, _PV, _ED, _Pid) -> reply.
handle_message_error(_CH, _PV, _ED, _Pid) -> no_reply.
handle_trans_request(CH, _PV, ARs, Pid) ->
    Text = request_text(ARs),
    IsSc = string:find(Text, "ServiceChange") =/= nomatch,
    IsRestart = string:find(Text, "Restart") =/= nomatch,
    if IsSc andalso IsRestart -> Pid ! {registered, CH, Text};
       true -> ok
    end,
    Reply = if
        IsSc ->
            {ok, T} = megaco_pretty_text_encoder:decode_message([], dynamic,
                <<"MEGACO/3 [127.0.0.1]:2944\nReply = 1 { Context = - { ServiceChange = ROOT { Services { Version = 3 } } } }">>),
            {'MegacoMessage', _, {'Message', _, _, {transactions, [{transactionReply, R}]}}} = T,
            {actionReplies, Rs} = element(4, R),
            Rs;
        true ->
            [setelement(4, AR, []) || AR <- ARs]
    end,
    {discard_ack, Reply}.
handle_trans_long_request(_CH, _PV, _D, _Pid) -> {discard_ack, []}.
handle_trans_reply(_CH, _PV, _R, _D, _Pid) -> ok.
handle_trans_ack(_CH, _PV, _S, _D, _Pid) -> ok.
handle_unexpected_trans(_CH, _PV, _T, _Pid) -> ok.
handle_trans_request_abort(_CH, _PV, _TId, _Handler, _Pid) -> ok.
handle_segment_reply(_CH, _PV, _TId, _SN, _SC, _Pid) -> ok.
