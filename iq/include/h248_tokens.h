/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * H.248.1 v3 text tokens (Annex B ABNF; long and compact forms as in
 * SPEC.md §4.2). One X-macro row per token: X(ENUM, long, compact).
 * The decoder accepts either form in any case; the encoder writes the
 * long form in the pretty layout and the compact form in the compact one.
 */
#ifndef IMSAGW_H248_TOKENS_H
#define IMSAGW_H248_TOKENS_H

#define H248_TOKENS(X) \
	X(ADD, "Add", "A") \
	X(ANDAUDITSELECT, "ANSLgc", "ANSLgc") \
	X(AUDIT, "Audit", "AT") \
	X(AUDITCAP, "AuditCapability", "AC") \
	X(AUDITVALUE, "AuditValue", "AV") \
	X(AUTH, "Authentication", "AU") \
	X(BOTH, "Both", "B") \
	X(BOTHWAY, "Bothway", "BW") \
	X(BRIEF, "Brief", "BR") \
	X(BUFFER, "Buffer", "BF") \
	X(CONTEXT, "Context", "C") \
	X(CONTEXTAUDIT, "ContextAudit", "CA") \
	X(CONTEXTATTR, "ContextAttr", "CT") \
	X(CONTEXTLIST, "ContextList", "CLT") \
	X(DIGITMAP, "DigitMap", "DM") \
	X(DIRECTION, "SPADirection", "SPADI") \
	X(DISCARD, "Discard", "DS") \
	X(DISCONNECTED, "Disconnected", "DC") \
	X(DELAY, "Delay", "DL") \
	X(DURATION, "Duration", "DR") \
	X(EMBED, "Embed", "EM") \
	X(EMERGENCY, "Emergency", "EG") \
	X(EMERGENCYOFF, "EmergencyOff", "EGO") \
	X(EMERGENCYVALUE, "EmergencyValue", "EGV") \
	X(ERROR, "Error", "ER") \
	X(EVENTBUFFER, "EventBuffer", "EB") \
	X(EVENTS, "Events", "E") \
	X(EXTERNAL, "External", "EX") \
	X(FAILOVER, "Failover", "FL") \
	X(FORCED, "Forced", "FO") \
	X(GRACEFUL, "Graceful", "GR") \
	X(HANDOFF, "HandOff", "HO") \
	X(IEPS, "IEPSCall", "IEPS") \
	X(IMMACKREQUIRED, "ImmAckRequired", "IA") \
	X(INACTIVE, "Inactive", "IN") \
	X(INTERNAL, "Internal", "IT") \
	X(INTERSIGNAL, "Intersignal", "SPAIS") \
	X(INTBYEVENT, "IntByEvent", "IBE") \
	X(INTBYSIGDESCR, "IntBySigDescr", "IBS") \
	X(ISOLATE, "Isolate", "IS") \
	X(INSERVICE, "InService", "IV") \
	X(ITERATION, "Iteration", "IR") \
	X(KEEPACTIVE, "KeepActive", "KA") \
	X(LOCAL, "Local", "L") \
	X(LOCALCONTROL, "LocalControl", "O") \
	X(LOCKSTEP, "LockStep", "SP") \
	X(LOOPBACK, "Loopback", "LB") \
	X(MEDIA, "Media", "M") \
	X(MEGACO, "MEGACO", "!") \
	X(SEGMENT, "Segment", "SM") \
	X(METHOD, "Method", "MT") \
	X(MGCIDTOTRY, "MgcIdToTry", "MG") \
	X(MODE, "Mode", "MO") \
	X(MODIFY, "Modify", "MF") \
	X(MODEM, "Modem", "MD") \
	X(MOVE, "Move", "MV") \
	X(MTP, "MTP", "MTP") \
	X(MUX, "Mux", "MX") \
	X(NEVERNOTIFY, "NeverNotify", "NBNN") \
	X(NOTIFY, "Notify", "N") \
	X(NOTIFYCOMPLETION, "NotifyCompletion", "NC") \
	X(IMMEDIATENOTIFY, "ImmediateNotify", "NBIN") \
	X(REGULATEDNOTIFY, "RegulatedNotify", "NBRN") \
	X(NX64K, "Nx64Kservice", "N64") \
	X(OBSERVEDEVENTS, "ObservedEvents", "OE") \
	X(OFF, "OFF", "OFF") \
	X(ONEWAY, "Oneway", "OW") \
	X(ONEWAYBOTH, "OnewayBoth", "OWB") \
	X(ONEWAYEXTERNAL, "OnewayExternal", "OWE") \
	X(ONOFF, "OnOff", "OO") \
	X(ORAUDITSELECT, "ORLgc", "ORLgc") \
	X(ON, "ON", "ON") \
	X(OTHERREASON, "OtherReason", "OR") \
	X(OUTOFSERVICE, "OutOfService", "OS") \
	X(PACKAGES, "Packages", "PG") \
	X(PENDING, "Pending", "PN") \
	X(PRIORITY, "Priority", "PR") \
	X(PROFILE, "Profile", "PF") \
	X(REASON, "Reason", "RE") \
	X(RECVONLY, "ReceiveOnly", "RC") \
	X(REPLY, "Reply", "P") \
	X(RESETEVENTSDESCRIPTOR, "ResetEventsDescriptor", "RSE") \
	X(RESTART, "Restart", "RS") \
	X(REMOTE, "Remote", "R") \
	X(REQUESTID, "SPARequestID", "SPARQ") \
	X(RESERVEDGROUP, "ReservedGroup", "RG") \
	X(RESERVEDVALUE, "ReservedValue", "RV") \
	X(END, "END", "&") \
	X(SENDONLY, "SendOnly", "SO") \
	X(SENDRECV, "SendReceive", "SR") \
	X(SERVICES, "Services", "SV") \
	X(SERVICESTATES, "ServiceStates", "SI") \
	X(SERVICECHANGE, "ServiceChange", "SC") \
	X(SERVICECHANGEADDRESS, "ServiceChangeAddress", "AD") \
	X(SERVICECHANGEINC, "ServiceChangeInc", "SIC") \
	X(SIGNALLIST, "SignalList", "SL") \
	X(SIGNALS, "Signals", "SG") \
	X(SIGNALTYPE, "SignalType", "SY") \
	X(STATISTICS, "Statistics", "SA") \
	X(STREAM, "Stream", "ST") \
	X(SUBTRACT, "Subtract", "S") \
	X(SYNCHISDN, "SynchISDN", "SN") \
	X(TERMINATIONSTATE, "TerminationState", "TS") \
	X(TEST, "Test", "TE") \
	X(TIMEOUT, "TimeOut", "TO") \
	X(TOPOLOGY, "Topology", "TP") \
	X(TRANSACTION, "Transaction", "T") \
	X(RESPONSEACK, "TransactionResponseAck", "K") \
	X(VERSION, "Version", "V")

enum h248_tok {
	H248_TOK_NONE = 0,
#define H248_TOK_ENUM_(e, l, s) H248_TOK_##e,
	H248_TOKENS(H248_TOK_ENUM_)
#undef H248_TOK_ENUM_
	H248_TOK_COUNT
};

#endif /* IMSAGW_H248_TOKENS_H */
