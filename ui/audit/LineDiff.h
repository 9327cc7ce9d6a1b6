#pragma once

#include <QString>
#include <QStringList>

#include <vector>

namespace flywheel::ui {

/// A line-based diff of two texts (an audit entry's before and after), for people to
/// read: the longest common subsequence of lines, with the lines only in `before`
/// removed and those only in `after` added. QtCore only.
///
/// Long texts stay fast: the common head and tail are matched first, and when what is
/// left would need more than kMaxCells comparisons the middle is shown as replaced
/// (every old line removed, every new one added) and the result says it is approximate.
class LineDiff final {
public:
    enum class Kind {
        Same,    ///< in both texts
        Removed, ///< only in before
        Added,   ///< only in after
        Skipped  ///< collapse(): `skipped` unchanged lines left out here
    };

    struct Line {
        Kind kind = Kind::Same;
        QString text;
        /// For Kind::Skipped: how many unchanged lines stand behind this one.
        int skipped = 0;

        bool operator==(const Line &) const = default;
    };

    struct Result {
        std::vector<Line> lines;
        int added = 0;
        int removed = 0;
        /// The texts were too long to compare line by line in the middle: that part is
        /// shown as removed and added wholesale.
        bool approximate = false;
    };

    /// The most cells of the comparison table (lines of before × lines of after, once the
    /// common head and tail are taken off) compared line by line.
    static constexpr qint64 kMaxCells = 4'000'000;

    /// The lines of `text`: split at '\n' (a "\r\n" loses its '\r'); a final newline does
    /// not start another line, and an empty text has no lines.
    static QStringList splitLines(const QString &text);

    /// The lines of `before` and `after` in order, each Same, Removed or Added.
    static Result compare(const QString &before, const QString &after, qint64 maxCells = kMaxCells);
    static Result compare(const QStringList &before, const QStringList &after, qint64 maxCells = kMaxCells);

    /// `lines` with every run of unchanged lines further than `context` lines from a
    /// change replaced by one Kind::Skipped line. With no change at all, everything is kept.
    static std::vector<Line> collapse(const std::vector<Line> &lines, int context);
};

} // namespace flywheel::ui
