#pragma once

#include <QString>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QVBoxLayout;

namespace flywheel::ui {

class Banner;

/// The top of a page, the same on every page: the page's title (large and bold) with
/// its controls beside it, a line that sums up what the page shows, and a red banner
/// for what went wrong loading it. The summary line and the banner are hidden while
/// they have nothing to say.
class PageHeader final : public QWidget {
    Q_OBJECT

public:
    explicit PageHeader(const QString &title, QWidget *parent = nullptr);

    /// Where addToTitleRow() puts a widget: just after the title (e.g. the dashboard's
    /// window buttons), or at the right end (e.g. "Refresh").
    enum class Place { AfterTitle, RightEnd };
    void addToTitleRow(QWidget *widget, Place place = Place::RightEnd);
    /// Puts `widget` on the summary line, before the summary (e.g. the inventory's
    /// low-stock count); the line then stays visible.
    void addBeforeSummary(QWidget *widget);
    /// Puts `widget` between the summary line and the problem banner (e.g. another banner).
    void addBelowSummary(QWidget *widget);

    QString title() const;
    void setSummary(const QString &text);
    QString summary() const;
    /// Shows `text` in the problem banner; an empty text hides it.
    void showProblem(const QString &text);
    void clearProblem();
    /// The problem shown, empty while the banner is hidden.
    QString problem() const;

private:
    void updateSummaryLine();

    QLabel *m_title;
    QHBoxLayout *m_titleRow;
    int m_afterTitle = 0; ///< widgets added after the title so far
    QWidget *m_summaryLine;
    QHBoxLayout *m_summaryRow;
    QLabel *m_summary;
    QVBoxLayout *m_layout;
    Banner *m_problem;
};

} // namespace flywheel::ui
