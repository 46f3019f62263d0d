package io.splitroute.sets;

import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The names an answer's question earned: the question name, then each name reached from the last one
 * through the answer section's CNAME record owned by it, or else through a DNAME owned by one of its
 * ancestors (the name rewritten as RFC 6672 says, as a resolver would; the CNAME a server synthesises for it
 * leads to the same name). Followed link by link from the question, whatever order the records are in;
 * stops at a name already in the chain (a loop) and after {@link #MAX_NAMES} names. Names compare
 * case-insensitively.
 */
public final class AnswerChain {
    /** The most names a chain holds: the question and 15 links (resolvers give up at about that length). */
    public static final int MAX_NAMES = 16;

    private final Name[] names;
    private final int size;

    private AnswerChain(Name[] names, int size) {
        this.names = names;
        this.size = size;
    }

    /** Returns the chain of {@code reply}: empty when it has no question. */
    public static AnswerChain of(Message reply) {
        Record question = reply.getQuestion();
        if (question == null) {
            return new AnswerChain(new Name[0], 0);
        }
        List<Record> answer = reply.getSection(Section.ANSWER);
        Name current = question.getName();
        Name[] names = new Name[answer.isEmpty() ? 1 : MAX_NAMES];
        names[0] = current;
        int size = 1;
        while (size < names.length) {
            Name next = next(answer, current);
            if (next == null || contains(names, size, next)) {
                break;
            }
            names[size++] = next;
            current = next;
        }
        return new AnswerChain(names, size);
    }

    /** Returns whether {@code name} is in the chain. */
    public boolean owns(Name name) {
        return contains(names, size, name);
    }

    /** Returns how many names the chain holds. */
    public int size() {
        return size;
    }

    /** Returns the question name, or {@code null} without a question. */
    public Name question() {
        return size == 0 ? null : names[0];
    }

    private static Name next(List<Record> answer, Name current) {
        for (int i = 0; i < answer.size(); i++) {
            if (answer.get(i) instanceof CNAMERecord cname && cname.getName().equals(current)) {
                return cname.getTarget();
            }
        }
        for (int i = 0; i < answer.size(); i++) {
            if (answer.get(i) instanceof DNAMERecord dname && current.subdomain(dname.getName())
                    && !current.equals(dname.getName())) {
                try {
                    return current.fromDNAME(dname);
                } catch (NameTooLongException e) {
                    return null; // the rewritten name would be too long: the chain ends here
                }
            }
        }
        return null;
    }

    private static boolean contains(Name[] names, int size, Name name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return true;
            }
        }
        return false;
    }
}
