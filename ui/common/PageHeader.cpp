#include "common/PageHeader.h"

#include "common/Banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr qreal kTitleScale = 1.4;
constexpr int kAfterTitleSpacing = 16;

} // namespace

PageHeader::PageHeader(const QString &title, QWidget *parent)
    : QWidget(parent), m_title(new QLabel(title, this)), m_titleRow(new QHBoxLayout()),
      m_summaryLine(new QWidget(this)), m_summaryRow(new QHBoxLayout(m_summaryLine)), m_summary(new QLabel(this)),
      m_problem(new Banner(Banner::Tone::Problem, this))
{
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * kTitleScale);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_titleRow->addWidget(m_title);
    m_titleRow->addStretch(1);

    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summaryRow->setContentsMargins(0, 0, 0, 0);
    m_summaryRow->addWidget(m_summary, 1);
    m_summaryLine->hide();

    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->addLayout(m_titleRow);
    m_layout->addWidget(m_summaryLine);
    m_layout->addWidget(m_problem);
}

void PageHeader::addToTitleRow(QWidget *widget, Place place)
{
    if (place == Place::RightEnd) {
        m_titleRow->addWidget(widget);
        return;
    }
    // After the title, a gap, then the widgets in the order they were added.
    int index = 1 + m_afterTitle;
    if (m_afterTitle == 0) {
        m_titleRow->insertSpacing(index, kAfterTitleSpacing);
        ++m_afterTitle;
        ++index;
    }
    m_titleRow->insertWidget(index, widget);
    ++m_afterTitle;
}

void PageHeader::addBeforeSummary(QWidget *widget)
{
    m_summaryRow->insertWidget(m_summaryRow->count() - 1, widget);
    updateSummaryLine();
}

void PageHeader::addBelowSummary(QWidget *widget)
{
    m_layout->insertWidget(m_layout->indexOf(m_problem), widget);
}

QString PageHeader::title() const
{
    return m_title->text();
}

void PageHeader::setSummary(const QString &text)
{
    m_summary->setText(text);
    updateSummaryLine();
}

QString PageHeader::summary() const
{
    return m_summary->text();
}

void PageHeader::showProblem(const QString &text)
{
    m_problem->showText(text);
}

void PageHeader::clearProblem()
{
    m_problem->showText(QString());
}

QString PageHeader::problem() const
{
    return m_problem->shownText();
}

void PageHeader::updateSummaryLine()
{
    m_summaryLine->setVisible(!m_summary->text().isEmpty() || m_summaryRow->count() > 1);
}

} // namespace flywheel::ui
